using System.Buffers;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Resampling;

namespace MusicClassification.Features.MusiCnn;

/// <summary>A song's MusiCNN input: <paramref name="Count"/> patches of 187 × 96 log-mel values, row-major.</summary>
internal sealed record MusiCnnPatches(ReadOnlyMemory<float> Values, int Count)
{
    /// <summary>
    /// Cuts the chosen patches of the analysed audio resampled to 16 kHz as Essentia's MonoLoader does; only the spans
    /// those patches read are resampled (3 × 3 s with the default policy, not the whole window).
    /// </summary>
    /// <param name="samples">The analysed window, mono.</param>
    /// <param name="sampleRate">Its rate.</param>
    /// <param name="maxPatches">Evenly spaced patches to keep; null for every patch.</param>
    /// <param name="pool">Where the scratch span is rented.</param>
    /// <param name="cancellationToken">Stops between patches.</param>
    public static MusiCnnPatches Compute(ReadOnlySpan<float> samples, int sampleRate, int? maxPatches, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        var plan = ResamplerPlan.For(sampleRate, MusiCnnInput.SampleRate, ResamplerDesign.EssentiaMonoLoader);
        int length = (int)plan.OutputLength(samples.Length);
        int available = MusiCnnInput.PatchCount(length);
        int count = maxPatches is int limit ? Math.Min(limit, available) : available;
        var values = new float[count * MusiCnnInput.PatchLength];
        float[] span = pool.Rent(MusiCnnInput.PatchSpanLength);
        try
        {
            for (int i = 0; i < count; i++)
            {
                // Evenly spaced, first and last included (every patch when count == available).
                int source = count == available ? i : count == 1 ? available / 2 : (int)Math.Round(i * (available - 1) / (double)(count - 1));
                (int start, int spanLength) = MusiCnnInput.PatchSpan(length, source);
                plan.Resample(samples, start, span.AsSpan(0, spanLength), pool);
                MusiCnnInput.ComputePatch(span.AsSpan(0, spanLength), start, length, source, values.AsSpan(i * MusiCnnInput.PatchLength, MusiCnnInput.PatchLength), pool, cancellationToken);
            }
        }
        finally
        {
            pool.Return(span);
        }

        return new MusiCnnPatches(values, count);
    }
}
