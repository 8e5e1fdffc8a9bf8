using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;

namespace MusicClassification.Dsp;

/// <summary>
/// librosa's framing conventions, immutable and shared: frame t is centred on sample t·hop (the signal is padded by
/// n_fft/2 on both sides), so a signal of n samples has 1 + n / hop frames; samples outside the signal are zeros
/// (<c>pad_mode='constant'</c>, librosa ≥ 0.10's STFT default) or the nearest edge sample (<c>'edge'</c>, used by
/// <c>zero_crossing_rate</c>).
/// </summary>
internal sealed class StftFraming
{
    public StftFraming(int frameLength, int hopLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameLength, 4);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        FrameLength = frameLength;
        HopLength = hopLength;
        Window = Windows.Hann(frameLength);
    }

    public int FrameLength { get; }

    public int HopLength { get; }

    /// <summary>Gets the periodic Hann window, applied by <see cref="WindowedFrame"/>.</summary>
    public ReadOnlyMemory<float> Window { get; }

    public int FrameCount(int signalLength) => 1 + (signalLength / HopLength);

    /// <summary>Copies frame <paramref name="index"/> (zero-padded outside the signal) into <paramref name="frame"/>.</summary>
    public void Frame(ReadOnlySpan<float> signal, int index, Span<float> frame, bool edgePadding = false)
    {
        int start = (index * HopLength) - (FrameLength / 2);
        int first = Math.Max(0, -start);
        int last = Math.Min(FrameLength, signal.Length - start);
        if (first >= last)
        {
            frame[..FrameLength].Fill(edgePadding && signal.Length > 0 ? (start < 0 ? signal[0] : signal[^1]) : 0);
            return;
        }

        frame[..first].Fill(edgePadding ? signal[0] : 0);
        signal.Slice(start + first, last - first).CopyTo(frame[first..]);
        frame[last..FrameLength].Fill(edgePadding ? signal[^1] : 0);
    }

    /// <summary>Copies frame <paramref name="index"/> and applies the window.</summary>
    public void WindowedFrame(ReadOnlySpan<float> signal, int index, Span<float> frame)
    {
        Frame(signal, index, frame);
        System.Numerics.Tensors.TensorPrimitives.Multiply(frame[..FrameLength], Window.Span, frame[..FrameLength]);
    }

    /// <summary>Floats of workspace <see cref="PowerSpectrum"/> needs: the frame, the FFT scratch and both spectrum halves.</summary>
    public int WorkspaceLength => (2 * FrameLength) + (2 * ((FrameLength / 2) + 1));

    /// <summary>|STFT|² of frame <paramref name="index"/> (windowed, zero-padded) into <paramref name="power"/> (n_fft/2 + 1 bins).</summary>
    public void PowerSpectrum(ReadOnlySpan<float> signal, int index, Fft.RealFftPlan fft, Span<float> workspace, Span<float> power)
    {
        int bins = (FrameLength / 2) + 1;
        Span<float> frame = workspace[..FrameLength];
        Span<float> scratch = workspace.Slice(FrameLength, FrameLength);
        Span<float> re = workspace.Slice(2 * FrameLength, bins);
        Span<float> im = workspace.Slice((2 * FrameLength) + bins, bins);
        WindowedFrame(signal, index, frame);
        fft.Forward(frame, scratch, re, im);
        System.Numerics.Tensors.TensorPrimitives.Multiply(re, re, power);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(im, im, power, power);
    }
}
