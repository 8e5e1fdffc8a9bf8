using MusicClassification.Features.Fingerprints;

namespace MusicClassification;

/// <summary>
/// Finds the songs of a set that are the same recording: the same audio in another format or bitrate, or with silence
/// added or trimmed. Two songs are the same when Chromaprint's own comparison (its fingerprint matcher, ported) finds
/// matching segments (under 10 differing bits of 32 on average) covering at least half of the shorter fingerprint and
/// at least 10 s of it (all of a fingerprint shorter than that). Songs are compared only when they share enough exact
/// subfingerprints to be worth it (values held by 64 songs or more, such as silence, do not count), so a
/// 1000-song library takes a fraction of a second. Needs <see cref="SongResult.Fingerprint"/>
/// (<see cref="FeatureOptions.Fingerprint"/> on); songs without one are in no group.
/// </summary>
public static class SongDuplicates
{
    // A fingerprint item is 1365 samples at 11 025 Hz: 0.124 s.
    private const int MinMatchedItems = 81;
    private const int MinSharedValues = 5;
    private const uint QueryMask = 0xFFFFFFF0;

    // A value held by this many songs (silence, a hum) says nothing about any pair; fewer copies of one recording are expected.
    private const int CommonValueHolders = 64;

    /// <summary>Groups of two or more songs that are the same recording, each as the songs' <see cref="SongResult.Index"/>, in index order.</summary>
    /// <param name="results">The songs' results (a batch's, a job's); failed songs and songs without a fingerprint are skipped.</param>
    /// <returns>The groups, ordered by their first index; empty when no two songs match.</returns>
    public static IReadOnlyList<IReadOnlyList<int>> Find(IEnumerable<SongResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var songs = new List<(int Index, uint[] Fingerprint)>();
        foreach (SongResult result in results)
        {
            if (result.Fingerprint is { } text && ChromaprintEncoding.Decode(text) is { Length: > 0 } fingerprint)
            {
                songs.Add((result.Index, fingerprint));
            }
        }

        var parent = Enumerable.Range(0, songs.Count).ToArray();
        foreach ((int a, int b) in Candidates(songs))
        {
            if (Root(parent, a) != Root(parent, b) && SameRecording(songs[a].Fingerprint, songs[b].Fingerprint))
            {
                parent[Root(parent, b)] = Root(parent, a);
            }
        }

        return [.. Enumerable.Range(0, songs.Count)
            .GroupBy(i => Root(parent, i))
            .Where(group => group.Count() > 1)
            .Select(group => (IReadOnlyList<int>)[.. group.Select(i => songs[i].Index).Order()])
            .OrderBy(group => group[0])];
    }

    /// <summary>Pairs of songs sharing at least a few exact subfingerprints (top 28 bits), the common ones left out.</summary>
    private static IEnumerable<(int A, int B)> Candidates(List<(int Index, uint[] Fingerprint)> songs)
    {
        var holders = new Dictionary<uint, List<int>>();
        for (int s = 0; s < songs.Count; s++)
        {
            foreach (uint value in songs[s].Fingerprint.Select(v => v & QueryMask).Distinct())
            {
                if (!holders.TryGetValue(value, out List<int>? list))
                {
                    holders[value] = list = [];
                }

                list.Add(s);
            }
        }

        var shared = new Dictionary<(int, int), int>();
        foreach (List<int> list in holders.Values)
        {
            if (list.Count < 2 || list.Count > CommonValueHolders)
            {
                continue;
            }

            for (int i = 0; i < list.Count; i++)
            {
                for (int j = i + 1; j < list.Count; j++)
                {
                    shared[(list[i], list[j])] = shared.GetValueOrDefault((list[i], list[j])) + 1;
                }
            }
        }

        return shared.Where(pair => pair.Value >= MinSharedValues).Select(pair => pair.Key).Order();
    }

    private static bool SameRecording(uint[] first, uint[] second)
    {
        int matched = ChromaprintMatcher.Match(first, second).Sum(segment => segment.Duration);
        int shorter = Math.Min(first.Length, second.Length);
        return matched * 2 >= shorter && matched >= Math.Min(MinMatchedItems, shorter);
    }

    private static int Root(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
