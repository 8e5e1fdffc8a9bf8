namespace MusicClassification.Host.Jobs;

/// <summary>Reading every stored result of a job, page by page, for the views over all of them (duplicates, neighbours).</summary>
internal static class StoredResults
{
    public static IEnumerable<string> All(this IJobStore store, string jobId, int pageSize)
    {
        for (int after = 0; ;)
        {
            IReadOnlyList<StoredResult> page = store.Results(jobId, after, pageSize);
            foreach (StoredResult stored in page)
            {
                yield return stored.Json;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = page[^1].Position;
        }
    }
}
