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

    /// <summary>The room each frame's ERB bands take in <see cref="BeatEmphasisBands"/>'s output: 40 rounded up to 16s.</summary>
    public const int ErbStride = 48;

    // Essentia lifts an empty "after" bin to single precision's machine epsilon so that its logarithm is finite.
    private const float SingleEpsilon = 1.1920929E-07f;

    private readonly int _bins;
    private readonly float[] _magnitude;
    private readonly float[] _uRe;
    private readonly float[] _uIm;

    // The previous one and two frames at the fast rate (beat emphasis) and at the slow rate (complex difference).
    private readonly Previous _fast;
    private readonly Previous _slow;

    private readonly float[][] _mel;
    private readonly int[] _melFirst;
    private readonly int[] _melLast;
    private readonly float[] _melDbOld;
    private readonly float[] _melDb;
    private float _rmsOld;

    // The ERB weights bin-major, each bin's 40 band weights padded to a whole number of 512-bit vectors.
    private readonly float[] _erbByBin;
    private readonly float[] _difference;

    private readonly int _infoFirstBin;
    private readonly int _infoBins;
    private readonly float[] _infoRing;
    private readonly float[] _infoWeights;
    private readonly float[] _infoOld;
    private readonly float[] _infoNew;
    private int _infoHead;

    public SpectralState(int bins, double hzPerBin, int sampleRate, int frameSize)
    {
        _bins = bins;
        _magnitude = new float[bins];
        _uRe = new float[bins];
        _uIm = new float[bins];
        _fast = new Previous(bins);
        _slow = new Previous(bins);
        (_mel, _melFirst, _melLast, _erbByBin) = Banks.GetOrAdd((bins, hzPerBin), static key => BuildBanks(key.Bins, key.HzPerBin));
        _melDbOld = new float[_mel.Length];
        _melDb = new float[_mel.Length];

        _difference = new float[bins];

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

        _infoOld = new float[_infoBins];
        _infoNew = new float[_infoBins];
    }

    // The filter banks depend only on the bins: built once per spectrum size and shared (read only) by every song.
    private static readonly ConcurrentDictionary<(int Bins, double HzPerBin), (float[][], int[], int[], float[])> Banks = new();

    private static (float[][] Mel, int[] First, int[] Last, float[] ErbByBin) BuildBanks(int bins, double hzPerBin)
    {
        (float[][] mel, int[] first, int[] last) = OnsetFilterBanks.Mel(bins, hzPerBin);
        float[][] erb = OnsetFilterBanks.Erb(bins, hzPerBin);
        var erbByBin = new float[bins * ErbStride];
        for (int b = 0; b < erb.Length; b++)
        {
            for (int j = 0; j < bins; j++)
            {
                erbByBin[(j * ErbStride) + b] = erb[b][j];
            }
        }

        return (mel, first, last, erbByBin);
    }

    /// <summary>Takes a frame's spectrum: magnitudes and unit phasors.</summary>
    public void Load(ReadOnlySpan<float> re, ReadOnlySpan<float> im)
    {
        TensorPrimitives.Multiply(re, re, _magnitude);
        TensorPrimitives.MultiplyAdd(im, im, _magnitude, _magnitude);
        TensorPrimitives.Sqrt(_magnitude, _magnitude);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= _bins - Vector<float>.Count; i += Vector<float>.Count)
            {
                var m = new Vector<float>(_magnitude, i);
                Vector<int> zero = Vector.Equals(m, Vector<float>.Zero);
                Vector<float> inverse = Vector<float>.One / Vector.ConditionalSelect(zero, Vector<float>.One, m);
                Vector.ConditionalSelect(zero, Vector<float>.One, new Vector<float>(re[i..]) * inverse).CopyTo(_uRe, i);
                Vector.ConditionalSelect(zero, Vector<float>.Zero, new Vector<float>(im[i..]) * inverse).CopyTo(_uIm, i);
            }
        }

        for (; i < _bins; i++)
        {
            float m = _magnitude[i];
            (_uRe[i], _uIm[i]) = m > 0 ? (re[i] / m, im[i] / m) : (1f, 0f);
        }
    }

    /// <summary>
    /// Hainsworth's information gain: for each bin, the weighted sum of the 5 magnitudes before and of the 5 after a
    /// frame (the newest 4 frames behind it, as Essentia's 11-frame buffer places it), the positive log2 ratios summed.
    /// </summary>
    public float InfoGain()
    {
        _magnitude.AsSpan(_infoFirstBin, _infoBins).CopyTo(_infoRing.AsSpan(_infoHead * _infoBins, _infoBins));
        _infoHead = (_infoHead + 1) % InfoGainFrames;

        // Buffer position p (0 = oldest) lives at ring slot (head + p) % 11. Old: positions 0 … 4 weighted 0.28 … 1;
        // new: positions 6 … 10 weighted 1 … 0.28.
        Array.Clear(_infoOld);
        Array.Clear(_infoNew);
        for (int i = 0; i < InfoGainHistory; i++)
        {
            ReadOnlySpan<float> older = Slot(i);
            ReadOnlySpan<float> newer = Slot(InfoGainHistory + 1 + i);
            TensorPrimitives.MultiplyAdd(older, _infoWeights[InfoGainHistory - 1 - i], _infoOld, _infoOld);
            TensorPrimitives.MultiplyAdd(newer, _infoWeights[i], _infoNew, _infoNew);
        }

        for (int b = 0; b < _infoBins; b++)
        {
            _infoOld[b] = _infoOld[b] == 0 ? 1 : _infoOld[b];
            _infoNew[b] = _infoNew[b] == 0 ? SingleEpsilon : _infoNew[b];
        }

        TensorPrimitives.Divide(_infoNew, _infoOld, _infoNew);
        TensorPrimitives.Log2(_infoNew, _infoNew);
        TensorPrimitives.Max(_infoNew, 0f, _infoNew);
        return TensorPrimitives.Sum(_infoNew);
    }

    /// <summary>
    /// Davies' complex difference per bin (squared, against the target phase 2φ₁ + φ₂, as Essentia has it) grouped into
    /// ERB bands, written to <paramref name="bands"/> (<see cref="ErbStride"/> values, the first 40 the bands).
    /// </summary>
    public void BeatEmphasisBands(Span<float> bands)
    {
        // u · conj(u₁)² · conj(u₂): the frame's phase minus (2φ₁ + φ₂).
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= _bins - Vector<float>.Count; i += Vector<float>.Count)
            {
                (Vector<float> dRe, Vector<float> dIm) = Difference(_fast, i, conjugateSecond: true);
                ((dRe * dRe) + (dIm * dIm)).CopyTo(_difference, i);
            }
        }

        for (; i < _bins; i++)
        {
            (float dRe, float dIm) = DifferenceAt(_fast, i, conjugateSecond: true);
            _difference[i] = (dRe * dRe) + (dIm * dIm);
        }

        // A matrix-vector product bin by bin: every bin adds its difference times its 40 weights, a few vectors at once.
        bands = bands[..ErbStride];
        bands.Clear();
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero;
            ReadOnlySpan<float> w = _erbByBin;
            for (int j = 0; j < _bins; j++)
            {
                var d = Vector512.Create(_difference[j]);
                ReadOnlySpan<float> row = w.Slice(j * ErbStride, ErbStride);
                a0 = Vector512.FusedMultiplyAdd(d, Vector512.Create(row), a0);
                a1 = Vector512.FusedMultiplyAdd(d, Vector512.Create(row[16..]), a1);
                a2 = Vector512.FusedMultiplyAdd(d, Vector512.Create(row[32..]), a2);
            }

            a0.CopyTo(bands);
            a1.CopyTo(bands[16..]);
            a2.CopyTo(bands[32..]);
        }
        else
        {
            for (int j = 0; j < _bins; j++)
            {
                TensorPrimitives.MultiplyAdd(_erbByBin.AsSpan(j * ErbStride, ErbStride), _difference[j], bands, bands);
            }
        }
    }

    /// <summary>The three slow functions of this frame: complex difference, RMS rise and mel flux (the first frame's last two are 0).</summary>
    public (float Complex, float Rms, float MelFlux) SlowFunctions(bool first)
    {
        // Bello: |X₁ − |X|·e^{i(φ − (2φ₁ − φ₂))}| with the phasor u · conj(u₁)² · u₂.
        int i = 0;
        float complex = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> sum = Vector<float>.Zero;
            for (; i <= _bins - Vector<float>.Count; i += Vector<float>.Count)
            {
                (Vector<float> dRe, Vector<float> dIm) = Difference(_slow, i, conjugateSecond: false);
                sum += Vector.SquareRoot((dRe * dRe) + (dIm * dIm));
            }

            complex = Vector.Sum(sum);
        }

        for (; i < _bins; i++)
        {
            (float dRe, float dIm) = DifferenceAt(_slow, i, conjugateSecond: false);
            complex += MathF.Sqrt((dRe * dRe) + (dIm * dIm));
        }

        double power = TensorPrimitives.SumOfSquares(_magnitude);
        float rms = (float)(Math.Sqrt(power) / _bins);
        float rmsRise = first ? 0 : Math.Max(0, rms - _rmsOld);
        _rmsOld = rms;

        float flux = 0;
        for (int b = 0; b < _mel.Length; b++)
        {
            float band = 0;
            for (int j = _melFirst[b]; j <= _melLast[b]; j++)
            {
                band += _magnitude[j] * _magnitude[j] * _mel[b][j];
            }

            _melDb[b] = band < 1e-10f ? -200f : 20f * MathF.Log10(band);
            flux += Math.Max(0, _melDb[b] - _melDbOld[b]);
        }

        _melDb.CopyTo(_melDbOld, 0);
        return (complex, rmsRise, first ? 0 : flux);
    }

    /// <summary>This frame becomes the previous one (of the slow functions too when it is one of their frames).</summary>
    public void Advance(bool slowFrame)
    {
        _fast.Push(_magnitude, _uRe, _uIm);
        if (slowFrame)
        {
            _slow.Push(_magnitude, _uRe, _uIm);
        }
    }

    /// <summary>X₁ − |X|·u·conj(u₁)²·u₂ (or ·conj(u₂)) for a vector of bins from <paramref name="i"/>.</summary>
    private (Vector<float> Re, Vector<float> Im) Difference(Previous previous, int i, bool conjugateSecond)
    {
        var u1Re = new Vector<float>(previous.URe1, i);
        var u1Im = -new Vector<float>(previous.UIm1, i);
        var u2Re = new Vector<float>(previous.URe2, i);
        var u2Im = new Vector<float>(previous.UIm2, i);
        u2Im = conjugateSecond ? -u2Im : u2Im;
        Vector<float> aRe = (u1Re * u1Re) - (u1Im * u1Im);
        Vector<float> aIm = 2 * u1Re * u1Im;
        (aRe, aIm) = ((aRe * u2Re) - (aIm * u2Im), (aRe * u2Im) + (aIm * u2Re));
        var uRe = new Vector<float>(_uRe, i);
        var uIm = new Vector<float>(_uIm, i);
        (aRe, aIm) = ((aRe * uRe) - (aIm * uIm), (aRe * uIm) + (aIm * uRe));
        var magnitude = new Vector<float>(_magnitude, i);
        return (new Vector<float>(previous.Magnitude1, i) - (magnitude * aRe), -(magnitude * aIm));
    }

    /// <summary>The scalar form of <see cref="Difference"/> for the last bins.</summary>
    private (float Re, float Im) DifferenceAt(Previous previous, int i, bool conjugateSecond)
    {
        (float aRe, float aIm) = Square(previous.URe1[i], -previous.UIm1[i]);
        (aRe, aIm) = Multiply(aRe, aIm, previous.URe2[i], conjugateSecond ? -previous.UIm2[i] : previous.UIm2[i]);
        (aRe, aIm) = Multiply(aRe, aIm, _uRe[i], _uIm[i]);
        return (previous.Magnitude1[i] - (_magnitude[i] * aRe), -_magnitude[i] * aIm);
    }

    private ReadOnlySpan<float> Slot(int position) => _infoRing.AsSpan(((_infoHead + position) % InfoGainFrames) * _infoBins, _infoBins);

    private static (float Re, float Im) Square(float re, float im) => ((re * re) - (im * im), 2 * re * im);

    private static (float Re, float Im) Multiply(float aRe, float aIm, float bRe, float bIm) => ((aRe * bRe) - (aIm * bIm), (aRe * bIm) + (aIm * bRe));

    /// <summary>The previous two frames' phasors and the previous frame's magnitudes; before the first frame, zero magnitude and phase.</summary>
    private sealed class Previous
    {
        public Previous(int bins)
        {
            Magnitude1 = new float[bins];
            URe1 = new float[bins];
            UIm1 = new float[bins];
            URe2 = new float[bins];
            UIm2 = new float[bins];
            Array.Fill(URe1, 1f);
            Array.Fill(URe2, 1f);
        }

        public float[] Magnitude1 { get; }

        public float[] URe1 { get; private set; }

        public float[] UIm1 { get; private set; }

        public float[] URe2 { get; private set; }

        public float[] UIm2 { get; private set; }

        public void Push(float[] magnitude, float[] uRe, float[] uIm)
        {
            (URe2, URe1) = (URe1, URe2);
            (UIm2, UIm1) = (UIm1, UIm2);
            uRe.CopyTo(URe1, 0);
            uIm.CopyTo(UIm1, 0);
            magnitude.CopyTo(Magnitude1, 0);
        }
    }
}
