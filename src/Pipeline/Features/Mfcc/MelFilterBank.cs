using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace MusicClassification.Features.Mfcc;

/// <summary>
/// An immutable triangular mel filter bank over the bins of an n_fft real FFT, built as librosa's
/// <c>filters.mel</c> (weights computed in double, stored in float), with Slaney area normalisation or none. Each
/// filter keeps only its non-zero span, so applying the bank is one short dot product per band.
/// </summary>
internal sealed class MelFilterBank
{
    private static readonly ConcurrentDictionary<(int, int, int, double, double, MelScale, bool), MelFilterBank> Cache = new();
    private readonly int[] _starts;
    private readonly float[][] _weights;

    private MelFilterBank(int sampleRate, int fftSize, int bands, double minHz, double maxHz, MelScale scale, bool slaneyNorm)
    {
        BandCount = bands;
        BinCount = (fftSize / 2) + 1;
        var fftHz = new double[BinCount];
        for (int k = 0; k < BinCount; k++)
        {
            fftHz[k] = (double)k * sampleRate / fftSize;
        }

        double minMel = scale.ToMel(minHz);
        double maxMel = scale.ToMel(maxHz);
        var edges = new double[bands + 2];
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = scale.ToHz(minMel + ((maxMel - minMel) * i / (bands + 1)));
        }

        _starts = new int[bands];
        _weights = new float[bands][];
        var row = new double[BinCount];
        for (int m = 0; m < bands; m++)
        {
            double lowerWidth = edges[m + 1] - edges[m];
            double upperWidth = edges[m + 2] - edges[m + 1];
            double norm = slaneyNorm ? 2.0 / (edges[m + 2] - edges[m]) : 1.0;
            int first = -1;
            int last = -1;
            for (int k = 0; k < BinCount; k++)
            {
                double lower = (fftHz[k] - edges[m]) / lowerWidth;
                double upper = (edges[m + 2] - fftHz[k]) / upperWidth;
                row[k] = Math.Max(0, Math.Min(lower, upper)) * norm;
                if (row[k] > 0)
                {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }

            _starts[m] = Math.Max(first, 0);
            _weights[m] = first < 0 ? [] : row[first..(last + 1)].Select(w => (float)w).ToArray();
        }
    }

    public int BandCount { get; }

    public int BinCount { get; }

    public static MelFilterBank For(int sampleRate, int fftSize, int bands, double minHz = 0, double? maxHz = null, MelScale scale = MelScale.Slaney, bool slaneyNorm = true) =>
        Cache.GetOrAdd(
            (sampleRate, fftSize, bands, minHz, maxHz ?? sampleRate / 2.0, scale, slaneyNorm),
            static key => new MelFilterBank(key.Item1, key.Item2, key.Item3, key.Item4, key.Item5, key.Item6, key.Item7));

    /// <summary>Projects one power (or magnitude) spectrum onto the bands.</summary>
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> bands)
    {
        for (int m = 0; m < BandCount; m++)
        {
            float[] weights = _weights[m];
            bands[m] = weights.Length == 0 ? 0 : TensorPrimitives.Dot(spectrum.Slice(_starts[m], weights.Length), weights);
        }
    }
}
