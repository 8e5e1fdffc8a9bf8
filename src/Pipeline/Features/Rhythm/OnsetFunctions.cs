using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Dsp;

namespace MusicClassification.Features.Rhythm;

/// <summary>The five onset detection functions of Essentia's multi-feature beat tracker, with their rates.</summary>
/// <param name="Complex">Bello's complex spectral difference, at the slow rate.</param>
/// <param name="Rms">The half-rectified rise of the spectrum's RMS, at the slow rate.</param>
/// <param name="MelFlux">The half-rectified rise of 40 mel bands in dB below 4 kHz, at the slow rate.</param>
/// <param name="BeatEmphasis">Davies' beat emphasis function, at the fast rate.</param>
/// <param name="InfoGain">Hainsworth's information gain between the spectra before and after, at the fast rate.</param>
/// <param name="SlowRate">Values per second of the first three (frames every half frame).</param>
/// <param name="FastRate">Values per second of the last two (frames every quarter frame).</param>
internal sealed record OnsetFunctions(float[] Complex, float[] Rms, float[] MelFlux, float[] BeatEmphasis, float[] InfoGain, double SlowRate, double FastRate)
{
    /// <summary>Essentia's frame: 2048 samples at 44.1 kHz; the power of two nearest the same 46 ms at other rates.</summary>
    public static int FrameLength(int sampleRate) => PowerOfTwo.Nearest(2048.0 / 44_100, sampleRate);

    /// <summary>
    /// Computes the five functions of a whole signal at its own rate (<see cref="OnsetFunctionsBuilder"/>, fed in
    /// blocks so that cancellation is observed); the decoder feeds a builder at Essentia's rate instead.
    /// </summary>
    public static OnsetFunctions Compute(ReadOnlySpan<float> samples, int sampleRate, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        using var builder = new OnsetFunctionsBuilder(sampleRate, pool);
        int block = 64 * FrameLength(sampleRate);
        for (int offset = 0; offset < samples.Length; offset += block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            builder.Write(samples.Slice(offset, Math.Min(block, samples.Length - offset)));
        }

        return builder.Complete();
    }
}
