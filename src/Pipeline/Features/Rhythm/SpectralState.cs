using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// One frame's spectrum and what the onset functions remember of the frames before it. Phases are kept as unit
/// phasors: a target phase 2φ₁ − φ₂ becomes u₁*²·u₂, so no angle is ever computed (a bin of zero magnitude has phase 0,
/// as atan2 gives).
/// </summary>
internal sealed class SpectralState
{
    private const int InfoGainHistory = 5;
    private const int InfoGainFrames = (2 * InfoGainHistory) + 1;

    // Essentia lifts an empty "after" bin to single precision's machine epsilon so that its logarithm is finite.
    private const float SingleEpsilon = 1.1920929E-07f;

    // The last five frames' spectra, rotated rather than copied: the fast functions look one and two frames back, the
    // slow ones (every other frame) two and four.
    private const int RingLength = 5;

    private readonly int _bins;
    private readonly Spectrum[] _ring;
    private int _frame;
    private Spectrum _current;

    private readonly float[][] _mel;
    private readonly int[] _melFirst;
    private readonly int[] _melLast;
    private readonly float[] _melDbOld;
    private readonly float[] _melDb;
    private float _rmsOld;

    private readonly float[] _erbByBin;

    private readonly int _infoFirstBin;
    private readonly int _infoBins;
    private readonly float[] _infoRing;
    private readonly float[] _infoWeights;
    private readonly float[] _infoNew;
    private int _infoHead;

    public SpectralState(int bins, double hzPerBin, int sampleRate, int frameSize)
    {
        _bins = bins;
        _ring = new Spectrum[RingLength];
        for (int i = 0; i < RingLength; i++)
        {
            _ring[i] = new Spectrum(bins);
        }

        _current = _ring[0];
        (_mel, _melFirst, _melLast, _erbByBin) = Banks.GetOrAdd((bins, hzPerBin), static key => BuildBanks(key.Bins, key.HzPerBin));
        _melDbOld = new float[_mel.Length];
        _melDb = new float[_mel.Length];

        // Information gain looks at 40 Hz … 5 kHz.
        _infoFirstBin = (int)Math.Round(40.0 * frameSize / sampleRate, MidpointRounding.AwayFromZero);
        int lastBin = Math.Min(bins, (int)Math.Round(5000.0 * frameSize / sampleRate, MidpointRounding.AwayFromZero) + 1);
        _infoBins = lastBin - _infoFirstBin;
        _infoRing = new float[InfoGainFrames * _infoBins];
        _infoWeights = new float[InfoGainHistory];
        for (int i = 0; i < InfoGainHistory; i++)
        {
            _infoWeights[i] = 1 - (i * 0.9f / InfoGainHistory);
        }

        _infoNew = new float[_infoBins];
    }

    // The filter banks depend only on the bins: built once per spectrum size and shared (read only) by every song.
    private static readonly ConcurrentDictionary<(int Bins, double HzPerBin), (float[][], int[], int[], float[])> Banks = new();

    private static (float[][] Mel, int[] First, int[] Last, float[] ErbByBin) BuildBanks(int bins, double hzPerBin)
    {
        (float[][] mel, int[] first, int[] last) = OnsetFilterBanks.Mel(bins, hzPerBin);
        float[][] erb = OnsetFilterBanks.Erb(bins, hzPerBin);
        var erbByBin = new float[bins * ErbProjection.Stride];
        for (int b = 0; b < erb.Length; b++)
        {
            for (int j = 0; j < bins; j++)
            {
                erbByBin[(j * ErbProjection.Stride) + b] = erb[b][j];
            }
        }

        return (mel, first, last, erbByBin);
    }

    private float[] Magnitude => _current.Magnitude;

    private float[] URe => _current.URe;

    private float[] UIm => _current.UIm;

    /// <summary>
    /// Takes a frame's spectrum (magnitudes and unit phasors) and, in the same pass over the bins, Davies' complex
    /// difference per bin (squared, against the target phase 2φ₁ + φ₂, as Essentia has it) into
    /// <paramref name="beatEmphasisDifference"/> for <see cref="ErbProjection"/> to group into ERB bands with
    /// <see cref="ErbWeights"/>, and, on a slow frame, Bello's complex spectral difference |X₂ − |X|·e^{i(φ − (2φ₂ − φ₄))}|
    /// summed over the bins (the slow functions look two and four fast frames back), which it returns (else 0).
    /// One pass instead of six: at 44.1 kHz each frame has 1025 bins and there are 86 frames a second.
    /// </summary>
    public float Load(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> beatEmphasisDifference, bool slow)
    {
        Spectrum one = Back(1);
        Spectrum two = Back(2);
        Spectrum four = Back(4);
        float[] magnitude = Magnitude;
        float[] uRe = URe;
        float[] uIm = UIm;
        Span<float> difference = beatEmphasisDifference[.._bins];
        int i = 0;
        float complex = 0;
        if (Vector.IsHardwareAccelerated && _bins >= Vector<float>.Count)
        {
            Vector<float> sum = Vector<float>.Zero;
            for (; i <= _bins - Vector<float>.Count; i += Vector<float>.Count)
            {
                var r = new Vector<float>(re[i..]);
                var m = new Vector<float>(im[i..]);
                m = Vector.SquareRoot((r * r) + (m * m));
                Vector<int> zero = Vector.Equals(m, Vector<float>.Zero);
                Vector<float> inverse = Vector<float>.One / Vector.ConditionalSelect(zero, Vector<float>.One, m);
                Vector<float> ur = Vector.ConditionalSelect(zero, Vector<float>.One, r * inverse);
                Vector<float> ui = Vector.ConditionalSelect(zero, Vector<float>.Zero, new Vector<float>(im[i..]) * inverse);
                m.CopyTo(magnitude.AsSpan(i));
                ur.CopyTo(uRe.AsSpan(i));
                ui.CopyTo(uIm.AsSpan(i));

                (Vector<float> dRe, Vector<float> dIm) = Difference(one, two, m, ur, ui, i, conjugateSecond: true);
                ((dRe * dRe) + (dIm * dIm)).CopyTo(difference[i..]);
                if (slow)
                {
                    (dRe, dIm) = Difference(two, four, m, ur, ui, i, conjugateSecond: false);
                    sum += Vector.SquareRoot((dRe * dRe) + (dIm * dIm));
                }
            }

            complex = Vector.Sum(sum);
        }

        for (; i < _bins; i++)
        {
            float m = MathF.Sqrt((re[i] * re[i]) + (im[i] * im[i]));
            magnitude[i] = m;
            (uRe[i], uIm[i]) = m > 0 ? (re[i] / m, im[i] / m) : (1f, 0f);
            (float dRe, float dIm) = DifferenceAt(one, two, i, conjugateSecond: true);
            difference[i] = (dRe * dRe) + (dIm * dIm);
            if (slow)
            {
                (dRe, dIm) = DifferenceAt(two, four, i, conjugateSecond: false);
                complex += MathF.Sqrt((dRe * dRe) + (dIm * dIm));
            }
        }

        return complex;
    }

    /// <summary>
    /// Hainsworth's information gain: for each bin, the weighted sum of the 5 magnitudes before and of the 5 after a
    /// frame (the newest 4 frames behind it, as Essentia's 11-frame buffer places it), the positive log2 ratios summed.
    /// </summary>
    public float InfoGain()
    {
        Magnitude.AsSpan(_infoFirstBin, _infoBins).CopyTo(_infoRing.AsSpan(_infoHead * _infoBins, _infoBins));
        _infoHead = (_infoHead + 1) % InfoGainFrames;

        // Buffer position p (0 = oldest) lives at ring slot (head + p) % 11. Old: positions 0 … 4 weighted 0.28 … 1;
        // new: positions 6 … 10 weighted 1 … 0.28. Both weighted sums, their guards and their ratio in one pass over the
        // bins (the sums accumulate in the same order, unfused, as ten separate passes would: the same floats).
        Span<int> older = stackalloc int[InfoGainHistory];
        Span<int> newer = stackalloc int[InfoGainHistory];
        for (int i = 0; i < InfoGainHistory; i++)
        {
            older[i] = ((_infoHead + i) % InfoGainFrames) * _infoBins;
            newer[i] = ((_infoHead + InfoGainHistory + 1 + i) % InfoGainFrames) * _infoBins;
        }

        ReadOnlySpan<float> ring = _infoRing;
        int b = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var epsilon = new Vector<float>(SingleEpsilon);
            for (; b <= _infoBins - Vector<float>.Count; b += Vector<float>.Count)
            {
                Vector<float> before = Vector<float>.Zero;
                Vector<float> after = Vector<float>.Zero;
                for (int i = 0; i < InfoGainHistory; i++)
                {
                    before = (new Vector<float>(ring[(older[i] + b)..]) * _infoWeights[InfoGainHistory - 1 - i]) + before;
                    after = (new Vector<float>(ring[(newer[i] + b)..]) * _infoWeights[i]) + after;
                }

                before = Vector.ConditionalSelect(Vector.Equals(before, Vector<float>.Zero), Vector<float>.One, before);
                after = Vector.ConditionalSelect(Vector.Equals(after, Vector<float>.Zero), epsilon, after);
                (after / before).CopyTo(_infoNew, b);
            }
        }

        for (; b < _infoBins; b++)
        {
            float before = 0;
            float after = 0;
            for (int i = 0; i < InfoGainHistory; i++)
            {
                before = (ring[older[i] + b] * _infoWeights[InfoGainHistory - 1 - i]) + before;
                after = (ring[newer[i] + b] * _infoWeights[i]) + after;
            }

            _infoNew[b] = (after == 0 ? SingleEpsilon : after) / (before == 0 ? 1 : before);
        }

        TensorPrimitives.Log2(_infoNew, _infoNew);
        TensorPrimitives.Max(_infoNew, 0f, _infoNew);
        return TensorPrimitives.Sum(_infoNew);
    }

    /// <summary>The 40 ERB bands' weights bin-major, each bin's padded to <see cref="ErbProjection.Stride"/>.</summary>
    public ReadOnlySpan<float> ErbWeights => _erbByBin;

    /// <summary>The RMS rise and the mel flux of this slow frame (the first frame's are 0).</summary>
    public (float Rms, float MelFlux) SlowFunctions(bool first)
    {
        double power = TensorPrimitives.SumOfSquares(Magnitude);
        float rms = (float)(Math.Sqrt(power) / _bins);
        float rmsRise = first ? 0 : Math.Max(0, rms - _rmsOld);
        _rmsOld = rms;

        float flux = 0;
        float[] magnitude = Magnitude;
        for (int b = 0; b < _mel.Length; b++)
        {
            float band = 0;
            float[] weights = _mel[b];
            for (int j = _melFirst[b]; j <= _melLast[b]; j++)
            {
                band += magnitude[j] * magnitude[j] * weights[j];
            }

            _melDb[b] = band < 1e-10f ? -200f : 20f * MathF.Log10(band);
            flux += Math.Max(0, _melDb[b] - _melDbOld[b]);
        }

        _melDb.CopyTo(_melDbOld, 0);
        return (rmsRise, first ? 0 : flux);
    }

    /// <summary>Moves on to the next frame: this one becomes the one before.</summary>
    public void Advance()
    {
        _frame++;
        _current = _ring[_frame % RingLength];
    }

    /// <summary>The spectrum <paramref name="frames"/> frames back; before the first frame, zero magnitude and phase.</summary>
    private Spectrum Back(int frames) => _ring[(_frame - frames + RingLength) % RingLength];

    /// <summary>X₁ − |X|·u·conj(u₁)²·u₂ (or ·conj(u₂)) for a vector of bins from <paramref name="i"/>, this frame's |X| and u given.</summary>
    private static (Vector<float> Re, Vector<float> Im) Difference(
        Spectrum first, Spectrum second, Vector<float> magnitude, Vector<float> uRe, Vector<float> uIm, int i, bool conjugateSecond)
    {
        var u1Re = new Vector<float>(first.URe, i);
        var u1Im = -new Vector<float>(first.UIm, i);
        var u2Re = new Vector<float>(second.URe, i);
        var u2Im = new Vector<float>(second.UIm, i);
        u2Im = conjugateSecond ? -u2Im : u2Im;
        Vector<float> aRe = (u1Re * u1Re) - (u1Im * u1Im);
        Vector<float> aIm = 2 * u1Re * u1Im;
        (aRe, aIm) = ((aRe * u2Re) - (aIm * u2Im), (aRe * u2Im) + (aIm * u2Re));
        (aRe, aIm) = ((aRe * uRe) - (aIm * uIm), (aRe * uIm) + (aIm * uRe));
        return (new Vector<float>(first.Magnitude, i) - (magnitude * aRe), -(magnitude * aIm));
    }

    /// <summary>The scalar form of <see cref="Difference"/> for the last bins.</summary>
    private (float Re, float Im) DifferenceAt(Spectrum first, Spectrum second, int i, bool conjugateSecond)
    {
        (float aRe, float aIm) = Square(first.URe[i], -first.UIm[i]);
        (aRe, aIm) = Multiply(aRe, aIm, second.URe[i], conjugateSecond ? -second.UIm[i] : second.UIm[i]);
        (aRe, aIm) = Multiply(aRe, aIm, URe[i], UIm[i]);
        return (first.Magnitude[i] - (Magnitude[i] * aRe), -Magnitude[i] * aIm);
    }

    private static (float Re, float Im) Square(float re, float im) => ((re * re) - (im * im), 2 * re * im);

    private static (float Re, float Im) Multiply(float aRe, float aIm, float bRe, float bIm) => ((aRe * bRe) - (aIm * bIm), (aRe * bIm) + (aIm * bRe));

    /// <summary>One frame's magnitudes and unit phasors; new, it is the silence before the first frame (phase 0).</summary>
    private sealed class Spectrum
    {
        public Spectrum(int bins)
        {
            Magnitude = new float[bins];
            URe = new float[bins];
            UIm = new float[bins];
            Array.Fill(URe, 1f);
        }

        public float[] Magnitude { get; }

        public float[] URe { get; }

        public float[] UIm { get; }
    }
}
