using MusicClassification.Scheduling;

namespace MusicClassification.Engine;

/// <summary>
/// A batch song's turn: counted as running while it is inside a stage, stepping aside when the <see cref="PriorityGate"/>
/// says the box is crowded. While it waits its deadline clock is stopped (waiting is not work) and it does not count as
/// working, and it waits for at most what is left of <see cref="PriorityGate.MaxPause"/>.
/// </summary>
internal sealed class BatchTurn(PriorityGate gate, SongWork work) : SongTurn
{
    private TimeSpan _paused;

    /// <summary>Gets how long the song has stepped aside so far.</summary>
    public TimeSpan PausedFor => _paused;

    protected override bool ShouldYield => gate.Crowded && _paused < PriorityGate.MaxPause;

    public void Enter() => gate.BatchEntered();

    public void Leave() => gate.BatchLeft();

    protected override async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (gate.TryPause() is not { } pause)
        {
            return;
        }

        long start = gate.Time.GetTimestamp();
        work.StepAside();
        try
        {
            await pause.Value.Task.WaitAsync(PriorityGate.MaxPause - _paused, gate.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Its allowance is used up: it goes on beside the interactive songs from now on.
        }
        finally
        {
            gate.EndPause(pause);
            _paused += gate.Time.GetElapsedTime(start);
            work.StepBack();
        }
    }
}
