using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace MusicClassification.Features.Tonal;

/// <summary>
/// librosa's <c>filters.chroma</c> (Ellis' chromagram weights): Gaussian bumps in log frequency around each pitch
/// class, each FFT bin's weights L2-normalised across the 12 classes, shaped by a Gaussian over octaves centred on
/// octave 5 (2 octaves wide), rotated to start at C, for a given tuning. Immutable, cached per tuning.
/// </summary>
internal sealed class ChromaFilterBank
{
    public const int Classes = 12;
    private static readonly ConcurrentDictionary<(int, int, double), ChromaFilterBank> Cache = new();
    private readonly float[] _weights;

    private ChromaFilterBank(int sampleRate, int fftSize, double tuning)
    {
        BinCount = (fftSize / 2) + 1;
        var frqbins = new double[fftSize];
        double a440 = 440.0 * Math.Pow(2.0, tuning / Classes);
        for (int k = 1; k < fftSize; k++)
        {
            double hz = (double)k * sampleRate / fftSize;
            frqbins[k] = Classes * Math.Log2(hz / (a440 / 16));
        }

        frqbins[0] = frqbins[1] - (1.5 * Classes);
        var width = new double[fftSize];
        for (int k = 0; k < fftSize - 1; k++)
        {
            width[k] = Math.Max(frqbins[k + 1] - frqbins[k], 1.0);
        }

        width[fftSize - 1] = 1;
        var raw = new double[Classes, fftSize];
        double half = Math.Round(Classes / 2.0);
        for (int k = 0; k < fftSize; k++)
        {
            double norm = 0;
            for (int c = 0; c < Classes; c++)
            {
                double d = frqbins[k] - c;
                d = PositiveRemainder(d + half + (10 * Classes), Classes) - half;
                double w = Math.Exp(-0.5 * Math.Pow(2 * d / width[k], 2));
                raw[c, k] = w;
                norm += w * w;
            }

            norm = Math.Sqrt(norm);
            double octaveWeight = Math.Exp(-0.5 * Math.Pow(((frqbins[k] / Classes) - 5.0) / 2.0, 2));
            for (int c = 0; c < Classes; c++)
            {
                raw[c, k] = (norm > 0 ? raw[c, k] / norm : raw[c, k]) * octaveWeight;
            }
        }

        // Rotate so that class 0 is C (the raw bank starts at A), keeping the non-negative-frequency bins.
        _weights = new float[Classes * BinCount];
        for (int c = 0; c < Classes; c++)
        {
            int source = (c + 3) % Classes;
            for (int k = 0; k < BinCount; k++)
            {
                _weights[(c * BinCount) + k] = (float)raw[source, k];
            }
        }
    }

    public int BinCount { get; }

    public static ChromaFilterBank For(int sampleRate, int fftSize, double tuning) =>
        Cache.GetOrAdd((sampleRate, fftSize, Math.Round(tuning, 4)), static key => new ChromaFilterBank(key.Item1, key.Item2, key.Item3));

    /// <summary>Projects a power spectrum onto the 12 pitch classes (C, C♯, …, B).</summary>
    public void Apply(ReadOnlySpan<float> power, Span<float> chroma)
    {
        for (int c = 0; c < Classes; c++)
        {
            chroma[c] = TensorPrimitives.Dot(power[..BinCount], _weights.AsSpan(c * BinCount, BinCount));
        }
    }

    private static double PositiveRemainder(double value, double divisor)
    {
        double r = value % divisor;
        return r < 0 ? r + divisor : r;
    }
}
