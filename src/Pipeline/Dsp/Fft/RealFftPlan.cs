using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MusicClassification.Dsp.Fft;

/// <summary>
/// An immutable real-input FFT of even power-of-two size N, computed as one complex FFT of N/2 points plus a split
/// step. Returns the N/2 + 1 non-negative-frequency bins, unscaled (as numpy's <c>rfft</c>). Thread-safe: callers
/// supply the scratch (<see cref="ScratchLength"/> floats).
/// </summary>
internal sealed class RealFftPlan
{
    private static readonly ConcurrentDictionary<int, RealFftPlan> Cache = new();
    private readonly FftPlan _half;
    private readonly float[] _cos;
    private readonly float[] _sin;

    private RealFftPlan(int size)
    {
        Size = size;
        _half = FftPlan.For(size / 2);
        _cos = new float[(size / 2) + 1];
        _sin = new float[(size / 2) + 1];
        for (int k = 0; k <= size / 2; k++)
        {
            double angle = -2 * Math.PI * k / size;
            _cos[k] = (float)Math.Cos(angle);
            _sin[k] = (float)Math.Sin(angle);
        }
    }

    public int Size { get; }

    public int BinCount => (Size / 2) + 1;

    public int ScratchLength => Size;

    public static RealFftPlan For(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The real FFT size must be a power of two of at least 4.");
        }

        return Cache.GetOrAdd(size, static n => new RealFftPlan(n));
    }

    /// <summary>Transforms <paramref name="input"/> (N samples) into <paramref name="re"/> and <paramref name="im"/> (N/2 + 1 bins each).</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> scratch, Span<float> re, Span<float> im)
    {
        int half = Size / 2;
        if (input.Length != Size || scratch.Length < Size || re.Length < BinCount || im.Length < BinCount)
        {
            throw new ArgumentException("Input must hold N samples, scratch N floats and each output N/2 + 1 bins.");
        }

        // z[n] = x[2n] + i·x[2n+1]
        Span<float> zRe = scratch[..half];
        Span<float> zIm = scratch.Slice(half, half);
        SamplePairs.Split(input, zRe, zIm);

        _half.Forward(zRe, zIm);

        // X[k] = E[k] + W^k·O[k], with E = (Z[k] + conj Z[N/2−k]) / 2 and O = (Z[k] − conj Z[N/2−k]) / 2i.
        re[0] = zRe[0] + zIm[0];
        im[0] = 0;
        re[half] = zRe[0] - zIm[0];
        im[half] = 0;

        // Lengths were checked above: references, not a bounds check per access.
        ref float zr = ref MemoryMarshal.GetReference(zRe);
        ref float zi = ref MemoryMarshal.GetReference(zIm);
        ref float outRe = ref MemoryMarshal.GetReference(re);
        ref float outIm = ref MemoryMarshal.GetReference(im);
        ref float cos = ref _cos[0];
        ref float sin = ref _sin[0];
        int start = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            start = SplitVectorised(ref zr, ref zi, ref outRe, ref outIm, ref cos, ref sin, half);
        }

        for (int k = start; k < half; k++)
        {
            float aRe = Unsafe.Add(ref zr, k);
            float aIm = Unsafe.Add(ref zi, k);
            float bRe = Unsafe.Add(ref zr, half - k);
            float bIm = -Unsafe.Add(ref zi, half - k);
            float eRe = 0.5f * (aRe + bRe);
            float eIm = 0.5f * (aIm + bIm);
            float oRe = 0.5f * (aIm - bIm);
            float oIm = -0.5f * (aRe - bRe);
            float c = Unsafe.Add(ref cos, k);
            float sn = Unsafe.Add(ref sin, k);
            Unsafe.Add(ref outRe, k) = eRe + (c * oRe) - (sn * oIm);
            Unsafe.Add(ref outIm, k) = eIm + (c * oIm) + (sn * oRe);
        }
    }

    /// <summary>
    /// The join step of <see cref="Inverse"/> for bins 1 … (returned − 1), eight at a time, mirrored as in
    /// <see cref="SplitVectorised"/>; the same operations per bin as the scalar loop. Returns the first bin left to it.
    /// </summary>
    private int JoinVectorised(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> zRe, Span<float> zIm, int half)
    {
        ref float inRe = ref MemoryMarshal.GetReference(re);
        ref float inIm = ref MemoryMarshal.GetReference(im);
        ref float outRe = ref MemoryMarshal.GetReference(zRe);
        ref float outIm = ref MemoryMarshal.GetReference(zIm);
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        var halfVector = Vector256.Create(0.5f);
        int k = 1;
        for (; k <= half - 8; k += 8)
        {
            nuint at = (nuint)k;
            nuint mirror = (nuint)(half - k - 7);
            Vector256<float> aRe = Vector256.LoadUnsafe(ref inRe, at);
            Vector256<float> aIm = Vector256.LoadUnsafe(ref inIm, at);
            Vector256<float> bRe = Vector256.Shuffle(Vector256.LoadUnsafe(ref inRe, mirror), reverse);
            Vector256<float> bIm = -Vector256.Shuffle(Vector256.LoadUnsafe(ref inIm, mirror), reverse);
            Vector256<float> eRe = halfVector * (aRe + bRe);
            Vector256<float> eIm = halfVector * (aIm + bIm);
            Vector256<float> dRe = halfVector * (aRe - bRe);
            Vector256<float> dIm = halfVector * (aIm - bIm);
            Vector256<float> c = Vector256.LoadUnsafe(ref _cos[0], at);
            Vector256<float> sn = Vector256.LoadUnsafe(ref _sin[0], at);
            Vector256<float> oRe = (dRe * c) + (dIm * sn);
            Vector256<float> oIm = (dIm * c) - (dRe * sn);
            (eRe - oIm).StoreUnsafe(ref outRe, at);
            (-(eIm + oRe)).StoreUnsafe(ref outIm, at);
        }

        return k;
    }

    /// <summary>
    /// The split step of <see cref="Forward"/> eight bins at a time: bins k … k+7 pair with N/2 − k … N/2 − k − 7, read as
    /// one vector and reversed. The same operations per bin as the scalar loop. Returns the first bin left to it.
    /// </summary>
    private static int SplitVectorised(ref float zr, ref float zi, ref float outRe, ref float outIm, ref float cos, ref float sin, int half)
    {
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        var halfVector = Vector256.Create(0.5f);
        var minusHalf = Vector256.Create(-0.5f);
        int k = 1;
        for (; k <= half - 8; k += 8)
        {
            nuint at = (nuint)k;
            nuint mirror = (nuint)(half - k - 7);
            Vector256<float> aRe = Vector256.LoadUnsafe(ref zr, at);
            Vector256<float> aIm = Vector256.LoadUnsafe(ref zi, at);
            Vector256<float> bRe = Vector256.Shuffle(Vector256.LoadUnsafe(ref zr, mirror), reverse);
            Vector256<float> bIm = -Vector256.Shuffle(Vector256.LoadUnsafe(ref zi, mirror), reverse);
            Vector256<float> eRe = halfVector * (aRe + bRe);
            Vector256<float> eIm = halfVector * (aIm + bIm);
            Vector256<float> oRe = halfVector * (aIm - bIm);
            Vector256<float> oIm = minusHalf * (aRe - bRe);
            Vector256<float> c = Vector256.LoadUnsafe(ref cos, at);
            Vector256<float> sn = Vector256.LoadUnsafe(ref sin, at);
            (eRe + (c * oRe) - (sn * oIm)).StoreUnsafe(ref outRe, at);
            (eIm + (c * oIm) + (sn * oRe)).StoreUnsafe(ref outIm, at);
        }

        return k;
    }

    /// <summary>
    /// The inverse of <see cref="Forward"/> with numpy's <c>irfft</c> scaling (1/N): N/2 + 1 bins of a Hermitian spectrum
    /// to N real samples. The imaginary parts of the DC and Nyquist bins are ignored, as numpy does.
    /// </summary>
    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> scratch, Span<float> output)
    {
        int half = Size / 2;
        if (re.Length < BinCount || im.Length < BinCount || scratch.Length < Size || output.Length < Size)
        {
            throw new ArgumentException("Each input must hold N/2 + 1 bins, scratch and output N floats.");
        }

        // Z[k] = E[k] + i·O[k] with E = (X[k] + conj X[M−k]) / 2 and O = (X[k] − conj X[M−k])·conj(W^k) / 2; the
        // inverse complex FFT is taken as conj(FFT(conj Z)) / M, so the conjugations are folded in here.
        Span<float> zRe = scratch[..half];
        Span<float> zIm = scratch.Slice(half, half);
        int vectorised = Vector256.IsHardwareAccelerated ? JoinVectorised(re, im, zRe, zIm, half) : 0;
        for (int k = 0; k < half; k++)
        {
            if (k == 1 && vectorised > 1)
            {
                k = vectorised;
                if (k >= half)
                {
                    break;
                }
            }

            float aRe = re[k];
            float aIm = k == 0 ? 0 : im[k];
            float bRe = re[half - k];
            float bIm = (half - k == half) ? 0 : -im[half - k];
            float eRe = 0.5f * (aRe + bRe);
            float eIm = 0.5f * (aIm + bIm);
            float dRe = 0.5f * (aRe - bRe);
            float dIm = 0.5f * (aIm - bIm);

            // O = d · conj(W^k), with W^k = cos + i·sin as stored (the forward twiddles).
            float oRe = (dRe * _cos[k]) + (dIm * _sin[k]);
            float oIm = (dIm * _cos[k]) - (dRe * _sin[k]);

            // Z = E + i·O, stored conjugated for the forward transform.
            zRe[k] = eRe - oIm;
            zIm[k] = -(eIm + oRe);
        }

        _half.Forward(zRe, zIm);
        float scale = 1f / half;
        SamplePairs.Interleave(zRe, scale, zIm, -scale, output);
    }
}
