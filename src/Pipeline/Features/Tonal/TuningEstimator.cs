namespace MusicClassification.Features.Tonal;

/// <summary>
/// librosa's <c>estimate_tuning</c> on a power spectrogram, frame by frame: parabolically interpolated spectral peaks
/// (<c>piptrack</c>: 150–4000 Hz, above 10 % of the frame's maximum) are collected; the peaks at least as strong as the
/// median peak vote, by their deviation from the equal-tempered A440 grid, in a 100-bin histogram over ±½ semitone;
/// the winning bin's lower edge is the tuning in fractions of a semitone.
/// </summary>
internal sealed class TuningEstimator
{
    private const double MinHz = 150;
    private const double MaxHz = 4000;
    private const float PeakThreshold = 0.1f;
    private const int HistogramBins = 100;

    private readonly int _sampleRate;
    private readonly int _fftSize;
    private readonly int _firstBin;
    private readonly int _endBin;
    private readonly List<(float Pitch, float Magnitude)> _peaks = [];

    public TuningEstimator(int sampleRate, int fftSize)
    {
        _sampleRate = sampleRate;
        _fftSize = fftSize;
        int bins = (fftSize / 2) + 1;
        _firstBin = (int)Math.Ceiling(MinHz * fftSize / sampleRate);
        _endBin = Math.Min(bins, (int)Math.Ceiling(Math.Min(MaxHz, sampleRate / 2.0) * fftSize / sampleRate));
        while (_endBin > 0 && (double)(_endBin - 1) * sampleRate / fftSize >= MaxHz)
        {
            _endBin--;
        }
    }

    /// <summary>Adds one frame's peaks (piptrack on the power spectrum <paramref name="s"/>).</summary>
    public void AddFrame(ReadOnlySpan<float> s)
    {
        float max = Math.Max(0, System.Numerics.Tensors.TensorPrimitives.Max(s));

        float reference = PeakThreshold * max;
        int last = s.Length - 1;
        for (int k = Math.Max(_firstBin, 1); k < _endBin; k++)
        {
            // Local maximum of S·(S > ref): strictly above the left neighbour, not below the right one.
            float x = s[k] > reference ? s[k] : 0;
            float left = s[k - 1] > reference ? s[k - 1] : 0;
            float right = k < last ? (s[k + 1] > reference ? s[k + 1] : 0) : x;
            if (!(x > left && x >= right))
            {
                continue;
            }

            float shift = k == 0 || k == last ? 0 : ParabolicShift(s[k - 1], s[k], s[k + 1]);
            float gradient = k == last ? s[k] - s[k - 1] : (s[k + 1] - s[k - 1]) / 2;
            float pitch = (float)((k + (double)shift) * _sampleRate / _fftSize);
            float magnitude = s[k] + (0.5f * gradient * shift);
            if (pitch > 0)
            {
                _peaks.Add((pitch, magnitude));
            }
        }
    }

    /// <summary>The estimated tuning deviation in fractions of a semitone, in [−0.5, 0.5).</summary>
    public double Estimate()
    {
        if (_peaks.Count == 0)
        {
            return 0;
        }

        float[] magnitudes = _peaks.Select(p => p.Magnitude).ToArray();
        float threshold = Dsp.Median.OfInPlace(magnitudes);
        var counts = new int[HistogramBins];
        bool any = false;
        foreach ((float pitch, float magnitude) in _peaks)
        {
            if (magnitude < threshold)
            {
                continue;
            }

            // float32 arithmetic, as numpy does it on librosa's float32 pitches.
            float octaves = MathF.Log2(pitch / (440f / 16f));
            float residual = (12f * octaves) % 1f;
            residual = residual < 0 ? residual + 1f : residual;
            if (residual >= 0.5f)
            {
                residual -= 1f;
            }

            int bin = Math.Clamp((int)Math.Floor(((double)residual + 0.5) * HistogramBins), 0, HistogramBins - 1);
            counts[bin]++;
            any = true;
        }

        if (!any)
        {
            return 0;
        }

        int best = 0;
        for (int i = 1; i < HistogramBins; i++)
        {
            best = counts[i] > counts[best] ? i : best;
        }

        return -0.5 + ((double)best / HistogramBins);
    }

    private static float ParabolicShift(float previous, float current, float next)
    {
        float a = next + previous - (2 * current);
        float b = (next - previous) / 2;
        return Math.Abs(b) >= Math.Abs(a) ? 0 : -b / a;
    }
}
