namespace MusicClassification.Dsp;

/// <summary>A spectral peak: its interpolated frequency and magnitude.</summary>
internal readonly record struct SpectralPeak(float FrequencyHz, float Magnitude);

/// <summary>
/// Local maxima of a magnitude spectrum as Essentia's <c>SpectralPeaks</c> finds them (its <c>PeakDetection</c> with
/// parabolic interpolation on the values given, plateaus reported at their middle): peaks above a threshold between a
/// lowest and highest frequency; when there are more than asked for, the strongest (ties: the lower frequency) are kept.
/// </summary>
internal static class SpectralPeaks
{
    /// <summary>Finds the peaks of <paramref name="spectrum"/> (bins 0 … rate/2) into <paramref name="peaks"/>; returns how many.</summary>
    /// <param name="spectrum">Magnitudes of bins 0 … n/2.</param>
    /// <param name="hzPerBin">The spacing of the bins.</param>
    /// <param name="minHz">No peak below this frequency.</param>
    /// <param name="maxHz">No peak above this frequency.</param>
    /// <param name="threshold">Only values strictly above this are peaks.</param>
    /// <param name="peaks">Room for the candidates: at least half the spectrum's length plus two.</param>
    /// <param name="maxPeaks">How many of the strongest to keep (at the front of <paramref name="peaks"/>, in no particular order).</param>
    public static int Find(ReadOnlySpan<float> spectrum, float hzPerBin, float minHz, float maxHz, float threshold, Span<SpectralPeak> peaks, int maxPeaks)
    {
        int size = spectrum.Length;
        int count = 0;
        int i = Math.Max(0, (int)Math.Ceiling(minHz / hzPerBin));
        if (i + 1 < size && spectrum[i] > spectrum[i + 1] && spectrum[i] > threshold)
        {
            peaks[count++] = new SpectralPeak(i * hzPerBin, spectrum[i]);
        }

        while (true)
        {
            while (i + 1 < size - 1 && spectrum[i] >= spectrum[i + 1])
            {
                i++;
            }

            while (i + 1 < size - 1 && spectrum[i] < spectrum[i + 1])
            {
                i++;
            }

            int j = i;
            while (j + 1 < size - 1 && spectrum[j] == spectrum[j + 1])
            {
                j++;
            }

            if (j + 1 < size - 1 && spectrum[j + 1] < spectrum[j] && spectrum[j] > threshold)
            {
                (float bin, float value) = j != i
                    ? ((i + j) * 0.5f, spectrum[i])
                    : Interpolate(spectrum[j - 1], spectrum[j], spectrum[j + 1], j);
                float hz = bin * hzPerBin;
                if (hz > maxHz)
                {
                    break;
                }

                peaks[count++] = new SpectralPeak(hz, value);
            }

            i = j;
            if (i + 1 >= size - 1)
            {
                if (i == size - 2 && spectrum[i - 1] < spectrum[i] && spectrum[i + 1] < spectrum[i] && spectrum[i] > threshold)
                {
                    (float bin, float value) = Interpolate(spectrum[i - 1], spectrum[i], spectrum[i + 1], j);
                    peaks[count++] = new SpectralPeak(bin * hzPerBin, value);
                }

                break;
            }
        }

        float last = maxHz / hzPerBin;
        if (size - 2 < last && last <= size - 1 && spectrum[size - 1] > spectrum[size - 2] && spectrum[size - 1] > threshold)
        {
            peaks[count++] = new SpectralPeak((size - 1) * hzPerBin, spectrum[size - 1]);
        }

        if (count > maxPeaks)
        {
            SelectStrongest(peaks[..count], maxPeaks);
        }

        return Math.Min(count, maxPeaks);
    }

    /// <summary>
    /// Moves the <paramref name="k"/> strongest peaks (ties: the lower frequency) to the front, in no particular order:
    /// a quickselect, cheaper than sorting, and all the key needs (its profile is a sum over the peaks).
    /// </summary>
    private static void SelectStrongest(Span<SpectralPeak> peaks, int k)
    {
        int left = 0;
        int right = peaks.Length - 1;
        while (left < right)
        {
            SpectralPeak pivot = peaks[left + ((right - left) / 2)];
            int i = left;
            int j = right;
            while (i <= j)
            {
                while (Stronger(peaks[i], pivot))
                {
                    i++;
                }

                while (Stronger(pivot, peaks[j]))
                {
                    j--;
                }

                if (i <= j)
                {
                    (peaks[i], peaks[j]) = (peaks[j], peaks[i]);
                    i++;
                    j--;
                }
            }

            // [left, j] are all at least as strong as the pivot, [i, right] at most as strong.
            if (k - 1 <= j)
            {
                right = j;
            }
            else if (k - 1 >= i)
            {
                left = i;
            }
            else
            {
                return;
            }
        }
    }

    private static bool Stronger(SpectralPeak a, SpectralPeak b) =>
        a.Magnitude > b.Magnitude || (a.Magnitude == b.Magnitude && a.FrequencyHz < b.FrequencyHz);

    /// <summary>The vertex of the parabola through three neighbouring values, as a fractional bin and its value.</summary>
    private static (float Bin, float Value) Interpolate(float left, float middle, float right, int bin)
    {
        float delta = 0.5f * ((left - right) / (left - (2 * middle) + right));
        return (bin + delta, middle - (0.25f * (left - right) * delta));
    }
}
