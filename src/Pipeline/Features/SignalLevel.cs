using System.Numerics.Tensors;
using MusicClassification.Dsp;

namespace MusicClassification.Features;

/// <summary>RMS and sample-peak level of a whole signal, in dBFS.</summary>
internal readonly record struct SignalLevel(double RmsDbfs, double PeakDbfs)
{
    private const int ChunkSize = 1 << 16;

    public static SignalLevel Measure(ReadOnlySpan<float> samples, CancellationToken cancellationToken)
    {
        if (samples.IsEmpty)
        {
            return new SignalLevel(Decibels.Floor, Decibels.Floor);
        }

        // Chunked so a long song sums in double precision and the loop can be cancelled.
        double sumOfSquares = 0;
        float peak = 0;
        for (int start = 0; start < samples.Length; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<float> chunk = samples.Slice(start, Math.Min(ChunkSize, samples.Length - start));
            sumOfSquares += TensorPrimitives.SumOfSquares(chunk);
            peak = Math.Max(peak, Math.Abs(TensorPrimitives.MaxMagnitude(chunk)));
        }

        return new SignalLevel(
            Decibels.FromPower(sumOfSquares / samples.Length),
            Decibels.FromAmplitude(peak));
    }
}
