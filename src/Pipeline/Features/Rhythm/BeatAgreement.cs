namespace MusicClassification.Features.Rhythm;

/// <summary>
/// Essentia's <c>TempoTapMaxAgreement</c> (Zapata et al., 2012): of several beat sequences, the one that agrees most with
/// the others, agreement measured by the information gain of the beat error histogram (40 bins: 5 bits when two
/// sequences coincide, about 0 when unrelated), ignoring the first 5 s. The confidence is the mean agreement.
/// </summary>
internal static class BeatAgreement
{
    private const int Bins = 40;
    private const double SkipSeconds = 5;

    // Essentia takes the gain's ceiling as log2(_numberBins) through its own template log2<T>, which for an int returns
    // an int: 5, not log2(40) = 5.32. Kept, so that the confidence is Essentia's number (it dips below 0 when the errors
    // spread over nearly every bin) and so that a sequence with under two beats, whose pairs score 0, weighs in the
    // choice exactly as much against the others' 5 − entropy as it does in Essentia.
    private const int GainCeiling = 5;
    private static readonly float[] Borders = BuildBorders();

    /// <summary>The maximum agreement a pair of sequences can have (two identical sequences).</summary>
    public static double MaxConfidence => GainCeiling;

    public static (IReadOnlyList<double> Beats, double Confidence) Select(IReadOnlyList<List<double>> candidates)
    {
        if (candidates.Count == 0)
        {
            return ([], 0);
        }

        // Essentia's beats are single precision; so are the errors below, so that an error on a bin border lands where
        // Essentia puts it (millisecond-rounded beats put many errors exactly on a border).
        float[][] trimmed = [.. candidates.Select(c => c.Select(t => (float)t).SkipWhile(t => t < SkipSeconds).ToArray())];
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

    private static double InformationGain(float[] a, float[] b)
    {
        if (a.Length < 2 || b.Length < 2)
        {
            return 0;
        }

        double forward = Entropy(BeatErrors(b, a));
        double backward = Entropy(BeatErrors(a, b));
        return GainCeiling - Math.Max(forward, backward);
    }

    /// <summary>Each beat of <paramref name="other"/> relative to the nearest beat of <paramref name="reference"/>, in half inter-beat intervals.</summary>
    private static List<float> BeatErrors(float[] reference, float[] other)
    {
        var errors = new List<float>(other.Length);
        foreach (float beat in other)
        {
            int j = Closest(reference, beat);
            float error = beat - reference[j];
            float interval = (float)(j == 0 ? 0.5 * (reference[1] - reference[0])
                : j == reference.Length - 1 ? 0.5 * (reference[j] - reference[j - 1])
                : error < 0 ? 0.5 * (reference[j] - reference[j - 1])
                : 0.5 * (reference[j + 1] - reference[j]));
            errors.Add((float)(0.5 * error / interval));
        }

        return errors;
    }

    /// <summary>The first local minimum of the distance, scanning from the start, as Essentia finds it.</summary>
    private static int Closest(float[] beats, float x)
    {
        float minDistance = -1;
        int j = 0;
        while (j < beats.Length)
        {
            float distance = Math.Abs(beats[j] - x);
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

    private static double Entropy(List<float> errors)
    {
        var counts = new double[Borders.Length + 1];
        foreach (float raw in errors)
        {
            // Wrapped into [−0.5, 0.5) the way C's fmod does it (a value below −0.5 stays there and lands in the first bin).
            float e = (float)(((raw + 0.5) % 1.0) - 0.5);
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
