namespace MusicClassification.Engine;

/// <summary>Yields results in completion order, or holds early ones back until every earlier submission has its result.</summary>
internal sealed class ResultSequencer(ResultOrder order)
{
    private readonly Dictionary<int, SongResult> _early = [];
    private int _next;

    public IEnumerable<SongResult> Accept(SongResult result)
    {
        if (order == ResultOrder.Completion)
        {
            yield return result;
            yield break;
        }

        _early.Add(result.Index, result);
        while (_early.Remove(_next, out SongResult? ready))
        {
            _next++;
            yield return ready;
        }
    }
}
