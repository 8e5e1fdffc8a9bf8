using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace MusicClassification.Features.Mfcc;

/// <summary>
/// The orthonormal DCT-II (scipy's <c>dct(type=2, norm='ortho')</c>) of an n-point input, keeping the first
/// <see cref="OutputCount"/> coefficients: an immutable matrix shared by every thread.
/// </summary>
internal sealed class DctPlan
{
    private static readonly ConcurrentDictionary<(int, int), DctPlan> Cache = new();
    private readonly float[] _basis;

    private DctPlan(int inputCount, int outputCount)
    {
        InputCount = inputCount;
        OutputCount = outputCount;
        _basis = new float[inputCount * outputCount];
        for (int k = 0; k < outputCount; k++)
        {
            double scale = Math.Sqrt((k == 0 ? 1.0 : 2.0) / inputCount);
            for (int n = 0; n < inputCount; n++)
            {
                _basis[(k * inputCount) + n] = (float)(scale * Math.Cos(Math.PI * k * ((2 * n) + 1) / (2.0 * inputCount)));
            }
        }
    }

    public int InputCount { get; }

    public int OutputCount { get; }

    public static DctPlan For(int inputCount, int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputCount, inputCount);
        return Cache.GetOrAdd((inputCount, outputCount), static key => new DctPlan(key.Item1, key.Item2));
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int k = 0; k < OutputCount; k++)
        {
            output[k] = TensorPrimitives.Dot(input[..InputCount], _basis.AsSpan(k * InputCount, InputCount));
        }
    }
}
