using Microsoft.AspNetCore.Mvc;

namespace MusicClassification.Host.Batches;

/// <summary>Counts results as they go out, for the batch's summary, keeping each fingerprint for the duplicates.</summary>
internal sealed class BatchCounts
{
    private readonly SortedDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly List<SongResult> _fingerprinted = [];

    public int Total { get; private set; }

    public int Succeeded { get; private set; }

    public void Add(SongResult result)
    {
        Total++;
        if (result.Fingerprint is { } fingerprint)
        {
            // Only what the comparison reads: a streamed batch does not keep its results.
            _fingerprinted.Add(new SongResult { Id = result.Id, Index = result.Index, Fingerprint = fingerprint });
        }

        if (result.Succeeded)
        {
            Succeeded++;
            return;
        }

        string code = result.Error.Code.ToWireName();
        _failures[code] = _failures.GetValueOrDefault(code) + 1;
    }

    /// <summary>Counts parts refused without a result each (past the batch's song limit) as <c>rejected</c>.</summary>
    public void AddRejected(int parts)
    {
        if (parts > 0)
        {
            Total += parts;
            string code = SongErrorCode.Rejected.ToWireName();
            _failures[code] = _failures.GetValueOrDefault(code) + parts;
        }
    }

    public BatchSummary Summary(ProblemDetails? uploadError, bool fingerprinting) =>
        new(Total, Succeeded, Total - Succeeded, new SortedDictionary<string, int>(_failures, StringComparer.Ordinal), uploadError,
            fingerprinting || _fingerprinted.Count > 0 ? SongDuplicates.Find(_fingerprinted) : null);
}
