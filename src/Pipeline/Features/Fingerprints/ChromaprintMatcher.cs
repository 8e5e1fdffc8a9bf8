namespace MusicClassification.Features.Fingerprints;

/// <summary>
/// Chromaprint's fingerprint comparison (<c>fingerprint_matcher.cpp</c>): the two fingerprints are aligned at the
/// offset most of their subfingerprints' top 12 bits agree on, the differing bits per aligned pair are smoothed (a
/// Gaussian of σ 8 as three box filters) and cut where they change sharply, and every stretch whose mean is under 10
/// differing bits of 32 is a matching segment. Chromaprint adds up to 0.001 of <c>rand()</c> noise to the counts to
/// break ties between gradient peaks; this port leaves it out, so the same pair always gives the same segments.
/// </summary>
internal static class ChromaprintMatcher
{
    private const int AlignBits = 12;
    private const double MatchThreshold = 10.0;

    /// <summary>A stretch of <paramref name="Duration"/> subfingerprints matching from <paramref name="Position1"/> and <paramref name="Position2"/>.</summary>
    public readonly record struct Segment(int Position1, int Position2, int Duration, double Score);

    public static IReadOnlyList<Segment> Match(ReadOnlySpan<uint> fp1, ReadOnlySpan<uint> fp2)
    {
        if (fp1.Length == 0 || fp2.Length == 0)
        {
            return [];
        }

        int best = BestAlignment(fp1, fp2);
        if (best < 0)
        {
            return [];
        }

        int offsetDiff = best - fp2.Length;
        int offset1 = Math.Max(offsetDiff, 0);
        int offset2 = Math.Max(-offsetDiff, 0);
        int size = Math.Min(fp1.Length - offset1, fp2.Length - offset2);
        float[] bitCounts = new float[size];
        for (int i = 0; i < size; i++)
        {
            bitCounts[i] = System.Numerics.BitOperations.PopCount(fp1[offset1 + i] ^ fp2[offset2 + i]);
        }

        float[] smoothed = GaussianFilter(bitCounts, 8.0, 3);
        float[] gradient = Gradient(smoothed);
        var peaks = new List<int>();
        for (int i = 1; i < size - 1; i++)
        {
            float g = Math.Abs(gradient[i]);
            if (g > 0.15 && g >= Math.Abs(gradient[i - 1]) && g >= Math.Abs(gradient[i + 1]) && (peaks.Count == 0 || peaks[^1] + 1 < i))
            {
                peaks.Add(i);
            }
        }

        peaks.Add(size);
        var segments = new List<Segment>();
        int begin = 0;
        foreach (int end in peaks)
        {
            int duration = end - begin;
            double sum = 0;
            for (int i = begin; i < end; i++)
            {
                sum += bitCounts[i];
            }

            double score = sum / duration;
            if (score < MatchThreshold)
            {
                if (segments.Count > 0 && Math.Abs(segments[^1].Score - score) < 0.7)
                {
                    Segment last = segments[^1];
                    int merged = last.Duration + duration;
                    segments[^1] = last with { Duration = merged, Score = ((last.Score * last.Duration) + (score * duration)) / merged };
                }
                else
                {
                    segments.Add(new Segment(offset1 + begin, offset2 + begin, duration, score));
                }
            }

            begin = end;
        }

        return segments;
    }

    /// <summary>The histogram index (offset1 − offset2 + |fp2|) of the highest peak of agreeing 12-bit hashes; −1 when none repeats.</summary>
    private static int BestAlignment(ReadOnlySpan<uint> fp1, ReadOnlySpan<uint> fp2)
    {
        const int HashShift = 32 - AlignBits;
        var firstPositions = new Dictionary<uint, List<int>>();
        for (int i = 0; i < fp1.Length; i++)
        {
            uint hash = fp1[i] >> HashShift;
            if (!firstPositions.TryGetValue(hash, out List<int>? positions))
            {
                firstPositions[hash] = positions = [];
            }

            positions.Add(i);
        }

        int[] histogram = new int[fp1.Length + fp2.Length];
        for (int j = 0; j < fp2.Length; j++)
        {
            if (firstPositions.TryGetValue(fp2[j] >> HashShift, out List<int>? positions))
            {
                foreach (int i in positions)
                {
                    histogram[i + fp2.Length - j]++;
                }
            }
        }

        // Chromaprint sorts the peaks by (count, index) descending and keeps the first: the highest, the latest on ties.
        int best = -1, bestCount = 1;
        for (int i = 0; i < histogram.Length; i++)
        {
            int count = histogram[i];
            if (count > 1 && (i == 0 || histogram[i - 1] <= count) && (i == histogram.Length - 1 || histogram[i + 1] <= count) && count >= bestCount)
            {
                best = i;
                bestCount = count;
            }
        }

        return best;
    }

    /// <summary>Chromaprint's Gaussian approximation: <paramref name="n"/> box filters with reflected edges.</summary>
    private static float[] GaussianFilter(float[] input, double sigma, int n)
    {
        int w = (int)Math.Floor(Math.Sqrt((12 * sigma * sigma / n) + 1));
        int wl = w - (w % 2 == 0 ? 1 : 0);
        int wu = wl + 2;
        int m = (int)Math.Round(((12 * sigma * sigma) - (n * wl * wl) - (4 * n * wl) - (3 * n)) / ((-4 * wl) - 4), MidpointRounding.AwayFromZero);
        float[] data = input;
        for (int i = 0; i < n; i++)
        {
            data = BoxFilter(data, i < m ? wl : wu);
        }

        return data;
    }

    /// <summary>A moving mean of width <paramref name="w"/> over the input reflected at both ends (Chromaprint's <c>BoxFilter</c>).</summary>
    private static float[] BoxFilter(float[] input, int w)
    {
        int size = input.Length;
        float[] output = new float[size];
        if (w == 0 || size == 0)
        {
            return output;
        }

        int wl = w / 2;
        var it1 = new Reflect(size);
        var it2 = new Reflect(size);
        for (int i = 0; i < wl; i++)
        {
            it1.Back();
            it2.Back();
        }

        float sum = 0;
        for (int i = 0; i < w; i++)
        {
            sum += input[it2.Position];
            it2.Forward();
        }

        for (int i = 0; i < size; i++)
        {
            output[i] = sum / w;
            sum += input[it2.Position] - input[it1.Position];
            it1.Forward();
            it2.Forward();
        }

        return output;
    }

    private static float[] Gradient(float[] values)
    {
        int size = values.Length;
        float[] output = new float[size];
        if (size < 2)
        {
            return output;
        }

        output[0] = values[1] - values[0];
        for (int i = 1; i < size - 1; i++)
        {
            output[i] = (values[i + 1] - values[i - 1]) / 2;
        }

        output[size - 1] = values[size - 1] - values[size - 2];
        return output;
    }

    /// <summary>Walks an index over 0 … size − 1 and back, reflecting at the ends (each end sample repeated once).</summary>
    private struct Reflect(int size)
    {
        private bool _forward = true;

        public int Position { get; private set; }

        public void Forward()
        {
            if (_forward)
            {
                if (Position + 1 == size)
                {
                    _forward = false;
                }
                else
                {
                    Position++;
                }
            }
            else if (Position == 0)
            {
                _forward = true;
            }
            else
            {
                Position--;
            }
        }

        public void Back()
        {
            if (_forward)
            {
                if (Position == 0)
                {
                    _forward = false;
                }
                else
                {
                    Position--;
                }
            }
            else if (Position + 1 == size)
            {
                _forward = true;
            }
            else
            {
                Position++;
            }
        }
    }
}
