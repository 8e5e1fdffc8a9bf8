using MusicClassification.Dsp.Resampling;
using MusicClassification.Features.MusiCnn;

namespace MusicClassification.Classification;

/// <summary>
/// A song as MusiCNN reads it, cut exactly as Essentia's <c>TensorflowInputMusiCNN</c> does after
/// <c>MonoLoader(sampleRate=16000)</c>: frames of 512 samples every 256 at 16 kHz, 96 mel bands, log10(1 + 10 000·x),
/// grouped into patches of <see cref="Frames"/> frames. Values are row-major: patch, frame, band.
/// </summary>
public sealed class LogMelPatches
{
    /// <summary>Frames in one patch (about 3 s).</summary>
    public const int Frames = MusiCnnInput.PatchFrames;

    /// <summary>Mel bands in one frame.</summary>
    public const int Bands = MusiCnnInput.Bands;

    /// <summary>Values in one patch: <see cref="Frames"/> × <see cref="Bands"/>.</summary>
    public const int PatchLength = MusiCnnInput.PatchLength;

    private LogMelPatches(ReadOnlyMemory<float> values, int count)
    {
        Values = values;
        Count = count;
    }

    /// <summary>Gets the patches' values, <see cref="Count"/> × <see cref="PatchLength"/>.</summary>
    public ReadOnlyMemory<float> Values { get; }

    /// <summary>Gets how many patches there are.</summary>
    public int Count { get; }

    /// <summary>
    /// Cuts evenly spaced patches (first and last included) of the analysed audio, resampled to 16 kHz as Essentia's
    /// <c>MonoLoader</c> does; only the spans those patches read are resampled.
    /// </summary>
    /// <param name="audio">The analysed window, as a classifier's <c>Prepare</c> receives it.</param>
    /// <param name="maxPatches">How many patches at most; null for every complete patch, as Essentia takes them.</param>
    /// <param name="cancellationToken">Stops between patches.</param>
    /// <returns>The patches; none when the audio is shorter than one patch.</returns>
    public static LogMelPatches ForMusiCnn(SongAudio audio, int? maxPatches, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPatches ?? 1, 1, nameof(maxPatches));
        var plan = ResamplerPlan.For(audio.SampleRate, MusiCnnInput.SampleRate, ResamplerDesign.EssentiaMonoLoader);
        int length = (int)plan.OutputLength(audio.Samples.Length);
        int available = MusiCnnInput.PatchCount(length);
        int count = maxPatches is int limit ? Math.Min(limit, available) : available;
        var values = new float[count * PatchLength];
        float[] span = audio.BufferPool.Rent(MusiCnnInput.PatchSpanLength);
        try
        {
            for (int i = 0; i < count; i++)
            {
                int source = count == available ? i : count == 1 ? available / 2 : (int)Math.Round(i * (available - 1) / (double)(count - 1));
                (int start, int spanLength) = MusiCnnInput.PatchSpan(length, source);
                plan.Resample(audio.Samples, start, span.AsSpan(0, spanLength), audio.BufferPool);
                MusiCnnInput.ComputePatch(span.AsSpan(0, spanLength), start, length, source, values.AsSpan(i * PatchLength, PatchLength), audio.BufferPool, cancellationToken);
            }
        }
        finally
        {
            audio.BufferPool.Return(span);
        }

        return new LogMelPatches(values, count);
    }
}
