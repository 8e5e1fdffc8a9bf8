using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;
using MusicClassification.Features.Mfcc;
using MusicClassification.Features.Spectral;

namespace MusicClassification.Features.Gtzan;

/// <summary>
/// The 57 GTZAN columns (features_30_sec.csv) exactly as librosa 0.10 computes them with its defaults on mono
/// 22 050 Hz audio (n_fft 2048, hop 512, centred zero-padded frames, periodic Hann): chroma_stft (with tuning
/// estimation), RMS, spectral centroid / bandwidth / roll-off, zero-crossing rate, harmonic and percussive parts (HPSS
/// by median filtering, back to the time domain), tempo (beat_track's estimate) and MFCC 1–20, each summarised by mean
/// and population variance. Stateless: all tables are immutable plans; per-call buffers are rented.
/// </summary>
internal static class GtzanFeatureExtractor
{
    public const int SampleRate = 22_050;
    public const int FftSize = 2048;
    public const int HopLength = 512;
    public const int MelBands = 128;

    private static readonly StftFraming Framing = new(FftSize, HopLength);
    private static readonly RealFftPlan Fft = RealFftPlan.For(FftSize);
    private static readonly MelFilterBank Mel = MelFilterBank.For(SampleRate, FftSize, MelBands);
    private static readonly DctPlan Dct = DctPlan.For(MelBands, GtzanColumns.MfccCount);
    private static readonly SpectralShape Shape = new(SampleRate, FftSize);

    /// <summary>Adds all 57 columns for <paramref name="signal"/> (mono, 22 050 Hz) to <paramref name="columns"/>.</summary>
    public static ExcerptAnalysis Compute(ReadOnlySpan<float> signal, IDictionary<string, double> columns, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        int frames = Framing.FrameCount(signal.Length);
        int bins = Fft.BinCount;
        float[] work = pool.Rent(Framing.WorkspaceLength + FftSize + (2 * bins));
        int crossingBlocks = frames + (FftSize / HopLength) - 1;
        float[] crossings = pool.Rent(2 * crossingBlocks);
        float[] series = pool.Rent((6 * frames) + MelBands);
        float[] melDb = pool.Rent(frames * MelBands);

        // One STFT for everything: its power spectra feed the frame features, the tuning, the chromagram and the
        // harmonic/percussive separation (which overwrites them last).
        float[] spectrogram = pool.Rent(frames * bins);
        try
        {
            Span<float> workspace = work.AsSpan(0, Framing.WorkspaceLength);
            Span<float> rmsFrame = work.AsSpan(Framing.WorkspaceLength, FftSize);
            Span<float> magnitude = work.AsSpan(Framing.WorkspaceLength + FftSize, bins);
            Span<float> shapeScratch = work.AsSpan(Framing.WorkspaceLength + FftSize + bins, bins);
            Span<float> crossingCounts = CountCrossings(signal, crossings.AsSpan(0, 2 * crossingBlocks));
            Span<float> rms = series.AsSpan(0, frames);
            Span<float> zcr = series.AsSpan(frames, frames);
            Span<float> centroid = series.AsSpan(2 * frames, frames);
            Span<float> bandwidth = series.AsSpan(3 * frames, frames);
            Span<float> rolloff = series.AsSpan(4 * frames, frames);
            Span<float> flatness = series.AsSpan(5 * frames, frames);
            var tuning = new Tonal.TuningEstimator(SampleRate, FftSize);

            for (int t = 0; t < frames; t++)
            {
                if ((t & 63) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Framing.Frame(signal, t, rmsFrame);
                rms[t] = MathF.Sqrt(TensorPrimitives.SumOfSquares(rmsFrame) / FftSize);
                zcr[t] = ZeroCrossingRate(crossingCounts, t);

                Span<float> power = spectrogram.AsSpan(t * bins, bins);
                Framing.PowerSpectrum(signal, t, Fft, workspace, power);
                tuning.AddFrame(power);
                Mel.Apply(power, melDb.AsSpan(t * MelBands, MelBands));

                // The shape features are defined on the magnitude spectrum.
                TensorPrimitives.Sqrt(power, magnitude);
                (double c, double b, double r) = Shape.Measure(magnitude, shapeScratch);
                centroid[t] = (float)c;
                bandwidth[t] = (float)b;
                rolloff[t] = (float)r;
                flatness[t] = Spectral.SpectralFlatness.Of(power, magnitude);
            }

            Add(columns, "rms", rms);
            Add(columns, "spectral_centroid", centroid);
            Add(columns, "spectral_bandwidth", bandwidth);
            Add(columns, "rolloff", rolloff);
            var spectral = new Spectral.SpectralShapeMoments(Moments.Of(centroid), Moments.Of(bandwidth), Moments.Of(rolloff), Moments.Of(flatness));
            Add(columns, "zero_crossing_rate", zcr);
            AddMfcc(melDb.AsSpan(0, frames * MelBands), frames, columns, series.AsSpan(0, frames), pool);

            // AddMfcc left the dB mel spectrogram in place: the onset envelope (beat_track's median aggregate) comes from it.
            Span<float> onsets = series.AsSpan(0, frames);
            Rhythm.OnsetStrength.Compute(melDb, frames, MelBands, FftSize, HopLength, median: true, onsets, series.AsSpan(frames, MelBands));
            columns["tempo"] = Rhythm.TempoEstimator.Estimate(onsets, SampleRate, HopLength, pool, cancellationToken);

            // The chromagram reuses the mel buffer: 12 values per frame fit in its 128.
            Span<float> chroma = melDb.AsSpan(0, frames * Tonal.ChromaFilterBank.Classes);
            Tonal.ChromaStft.FromPower(spectrogram, frames, SampleRate, FftSize, tuning.Estimate(), chroma, cancellationToken);
            Add(columns, "chroma_stft", chroma);

            (Moments harmony, Moments percussive) = Harmonic.HarmonicPercussiveSeparation.Separate(signal, Framing, spectrogram.AsSpan(0, frames * bins), pool, cancellationToken);
            columns["harmony_mean"] = harmony.Mean;
            columns["harmony_var"] = harmony.Variance;
            columns["perceptr_mean"] = percussive.Mean;
            columns["perceptr_var"] = percussive.Variance;
            return new ExcerptAnalysis(spectral);
        }
        finally
        {
            pool.Return(work);
            pool.Return(series);
            pool.Return(melDb);
            pool.Return(spectrogram);
            pool.Return(crossings);
        }
    }

    /// <summary>
    /// librosa's <c>zero_crossings</c> (threshold 1e-10, zero counted as positive) over the edge-padded signal
    /// (<c>zero_crossing_rate</c> pads by n_fft/2 repeating the edge samples), counted per hop-long block: the first
    /// half of <paramref name="perBlock"/> holds, for block j, the sign changes between padded samples i − 1 and i for
    /// every i in the block; the second half whether there is one at the block's first sample. Exact integers.
    /// </summary>
    private static Span<float> CountCrossings(ReadOnlySpan<float> signal, Span<float> perBlock)
    {
        const float Threshold = 1e-10f;
        int pad = FftSize / 2;
        int blocks = perBlock.Length / 2;
        perBlock.Clear();
        if (signal.IsEmpty)
        {
            return perBlock;
        }

        bool previousNegative = signal[0] < -Threshold;
        for (int i = 0; i < blocks * HopLength; i++)
        {
            bool negative = signal[Math.Clamp(i - pad, 0, signal.Length - 1)] < -Threshold;
            if (negative != previousNegative)
            {
                perBlock[i / HopLength]++;
                if (i % HopLength == 0)
                {
                    perBlock[blocks + (i / HopLength)] = 1;
                }
            }

            previousNegative = negative;
        }

        return perBlock;
    }

    /// <summary>
    /// librosa's <c>zero_crossing_rate</c> of frame <paramref name="frame"/>: the crossings inside the frame (none at its
    /// first sample) over its length, from the per-block counts (a frame is four blocks).
    /// </summary>
    private static float ZeroCrossingRate(ReadOnlySpan<float> counts, int frame)
    {
        int blocks = counts.Length / 2;
        float inside = counts[frame] + counts[frame + 1] + counts[frame + 2] + counts[frame + 3] - counts[blocks + frame];
        return inside / FftSize;
    }

    private static void AddMfcc(Span<float> melPower, int frames, IDictionary<string, double> columns, Span<float> coefficientSeries, ArrayPool<float> pool)
    {
        Decibels.PowerToDbInPlace(melPower);
        Span<float> coefficients = stackalloc float[GtzanColumns.MfccCount];
        float[] all = pool.Rent(frames * GtzanColumns.MfccCount);
        try
        {
            for (int t = 0; t < frames; t++)
            {
                Dct.Forward(melPower.Slice(t * MelBands, MelBands), coefficients);
                for (int k = 0; k < GtzanColumns.MfccCount; k++)
                {
                    all[(k * frames) + t] = coefficients[k];
                }
            }

            for (int k = 0; k < GtzanColumns.MfccCount; k++)
            {
                all.AsSpan(k * frames, frames).CopyTo(coefficientSeries);
                Add(columns, $"mfcc{k + 1}", coefficientSeries);
            }
        }
        finally
        {
            pool.Return(all);
        }
    }

    private static void Add(IDictionary<string, double> columns, string name, ReadOnlySpan<float> series)
    {
        Moments moments = Moments.Of(series);
        columns[name + "_mean"] = moments.Mean;
        columns[name + "_var"] = moments.Variance;
    }
}
