namespace MusicClassification.Features.Rhythm;

/// <summary>
/// Essentia's <c>TempoTapMaxAgreement</c> (Zapata et al., 2012): of several beat sequences, the one that agrees most with
/// the others, agreement measured by the information gain of the beat error histogram (40 bins; log2 40 ≈ 5.32 bits when
/// two sequences coincide, 0 when unrelated), ignoring the first 5 s. The confidence is the mean agreement.
/// </summary>
internal static class BeatAgreement
{
    private const int Bins = 40;
    private const double SkipSeconds = 5;
    private static readonly float[] Borders = BuildBorders();

    /// <summary>The maximum agreement a pair of sequences can have: log2 of the number of histogram bins.</summary>
    public static double MaxConfidence => Math.Log2(Bins);

    public static (IReadOnlyList<double> Beats, double Confidence) Select(IReadOnlyList<List<double>> candidates)
    {
        if (candidates.Count == 0)
        {
            return ([], 0);
        }

        List<double>[] trimmed = [.. candidates.Select(c => c.SkipWhile(t => t < SkipSeconds).ToList())];
        int methods = trimmed.Length;
        var gain = new double[methods, methods];
        for (int i = 0; i < methods; i++)
        {
            for (int j = i + 1; j < methods; j++)
            {
                gain[i, j] = InformationGain(trimmed[i], trimmed[j]);
            }
        }

        var mean = new double[methods];
        for (int i = 0; i < methods; i++)
        {
            double sum = 0;
            for (int j = 0; j < methods; j++)
            {
                sum += j > i ? gain[i, j] : j < i ? gain[j, i] : 0;
            }

            mean[i] = methods > 1 ? sum / (methods - 1) : 0;
        }

        int selected = 0;
        for (int i = 1; i < methods; i++)
        {
            if (mean[i] > mean[selected])
            {
                selected = i;
            }
        }

        return (candidates[selected], mean.Average());
    }

    private static double InformationGain(List<double> a, List<double> b)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            return 0;
        }

        double forward = Entropy(BeatErrors(b, a));
        double backward = Entropy(BeatErrors(a, b));
        return Math.Log2(Bins) - Math.Max(forward, backward);
    }

    /// <summary>Each beat of <paramref name="other"/> relative to the nearest beat of <paramref name="reference"/>, in half inter-beat intervals.</summary>
    private static List<double> BeatErrors(List<double> reference, List<double> other)
    {
        var errors = new List<double>(other.Count);
        foreach (double beat in other)
        {
            int j = Closest(reference, beat);
            double error = beat - reference[j];
            double interval = j == 0 ? 0.5 * (reference[1] - reference[0])
                : j == reference.Count - 1 ? 0.5 * (reference[j] - reference[j - 1])
                : error < 0 ? 0.5 * (reference[j] - reference[j - 1])
                : 0.5 * (reference[j + 1] - reference[j]);
            errors.Add(0.5 * error / interval);
        }

        return errors;
    }

    /// <summary>The first local minimum of the distance, scanning from the start, as Essentia finds it.</summary>
    private static int Closest(List<double> beats, double x)
    {
        double minDistance = -1;
        int j = 0;
        while (j < beats.Count)
        {
            double distance = Math.Abs(beats[j] - x);
            if (minDistance < 0 || distance < minDistance)
            {
                minDistance = distance;
            }
            else
            {
                break;
            }

            j++;
        }

        return j - 1;
    }

    private static double Entropy(List<double> errors)
    {
        var counts = new double[Borders.Length + 1];
        foreach (double raw in errors)
        {
            // Wrapped into [−0.5, 0.5) the way C's fmod does it (a value below −0.5 stays there and lands in the first bin).
            double e = ((raw + 0.5) % 1.0) - 0.5;
            if (e >= Borders[^1])
            {
                counts[^1]++;
                continue;
            }

            for (int b = 0; b < Borders.Length; b++)
            {
                if (e < Borders[b])
                {
                    counts[b]++;
                    break;
                }
            }
        }

        // The last bin and the first are the same phase (±0.5).
        counts[0] += counts[^1];
        int bins = counts.Length - 1;
        double total = 0;
        for (int b = 0; b < bins; b++)
        {
            total += counts[b];
        }

        double entropy = 0;
        for (int b = 0; b < bins; b++)
        {
            double p = total != 0 ? counts[b] / total : counts[b];
            if (p != 0)
            {
                entropy -= Math.Log2(p) * p;
            }
        }

        return entropy;
    }

    /// <summary>Bin borders halfway between Essentia's bin centres (−0.5, then steps of 1/39 in single precision, then 0.5).</summary>
    private static float[] BuildBorders()
    {
        float delta = 1f / (Bins - 1);
        var centres = new List<float> { -0.5f };
        for (float bin = (float)(-0.5 + (1.5 * delta)); bin <= 0.5 - (1.5 * delta); bin += delta)
        {
            centres.Add(bin);
        }

        centres.Add(0.5f);
        var borders = new float[centres.Count - 1];
        for (int i = 0; i < borders.Length; i++)
        {
            borders[i] = (centres[i] + centres[i + 1]) / 2;
        }

        return borders;
    }
}
