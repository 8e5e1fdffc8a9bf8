namespace MusicClassification.Features.Rhythm;

/// <summary>
/// librosa's <c>onset_strength</c> (lag 1, no reference filtering, centred): the positive first difference of the dB
/// mel spectrogram across time, aggregated over the bands (median for <c>beat_track</c>, mean for
/// <c>feature.tempo</c>) and delayed by lag + n_fft / (2·hop) = 3 frames so onsets line up with the frames' centres.
/// </summary>
internal static class OnsetStrength
{
    /// <summary>Fills <paramref name="envelope"/> (one value per frame) from a frame-major dB mel spectrogram.</summary>
    public static void Compute(ReadOnlySpan<float> melDb, int frames, int bands, int fftSize, int hopLength, bool median, Span<float> envelope, Span<float> scratch)
    {
        int delay = 1 + (fftSize / (2 * hopLength));
        envelope[..frames].Clear();
        Span<float> differences = scratch[..bands];
        for (int t = 1; t < frames; t++)
        {
            int target = t - 1 + delay;
            if (target >= frames)
            {
                break;
            }

            ReadOnlySpan<float> current = melDb.Slice(t * bands, bands);
            ReadOnlySpan<float> previous = melDb.Slice((t - 1) * bands, bands);
            double sum = 0;
            for (int m = 0; m < bands; m++)
            {
                float d = Math.Max(0f, current[m] - previous[m]);
                differences[m] = d;
                sum += d;
            }

            envelope[target] = median ? Dsp.Median.OfInPlace(differences) : (float)(sum / bands);
        }
    }
}
