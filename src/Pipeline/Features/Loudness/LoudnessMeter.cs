namespace MusicClassification.Features.Loudness;

/// <summary>
/// A streaming EBU R128 meter for one song: K-weighted mean square per 100 ms sub-block (channel weights 1.0, and 1.41
/// for the surround pair of a 5.1 layout, LFE excluded), from which integrated loudness (400 ms blocks, 75 % overlap,
/// −70 LUFS absolute and −10 LU relative gates, EBU Tech 3341) and loudness range (3 s short-term blocks every 100 ms,
/// −70 LUFS and −20 LU gates, 10th to 95th percentile, EBU Tech 3342) are computed; plus the true peak.
/// </summary>
internal sealed class LoudnessMeter
{
    private readonly int _channels;
    private readonly double[] _weights;
    private readonly double[] _state;
    private readonly KWeighting _filter;
    private readonly int _subBlockFrames;
    private readonly List<double> _subBlocks = [];
    private readonly TruePeakDetector _truePeak;
    private double _current;
    private int _currentFrames;

    public LoudnessMeter(int sampleRate, int channels)
    {
        _channels = channels;
        _filter = KWeighting.For(sampleRate);
        _subBlockFrames = (int)Math.Round(sampleRate * 0.1);
        _state = new double[channels * 4];
        _weights = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            _weights[c] = channels == 6 ? c switch { 3 => 0.0, 4 or 5 => 1.41, _ => 1.0 } : 1.0;
        }

        _truePeak = new TruePeakDetector(channels);
    }

    public void Add(ReadOnlySpan<float> interleaved)
    {
        _truePeak.Add(interleaved);
        int frames = interleaved.Length / _channels;
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int c = 0; c < _channels; c++)
            {
                double y = Filter(interleaved[(f * _channels) + c], c);
                sum += _weights[c] * y * y;
            }

            _current += sum;
            if (++_currentFrames == _subBlockFrames)
            {
                _subBlocks.Add(_current / _subBlockFrames);
                _current = 0;
                _currentFrames = 0;
            }
        }
    }

    public LoudnessResult Result()
    {
        double? integrated = Integrated(BlockPowers(4));
        double? range = Range(BlockPowers(30));
        double truePeak = _truePeak.MaxAbs <= 0 ? Dsp.Decibels.Floor : 20 * Math.Log10(_truePeak.MaxAbs);
        return new LoudnessResult(integrated, range, truePeak);
    }

    private static double Lufs(double power) => -0.691 + (10 * Math.Log10(power));

    private static double? Integrated(List<double> blocks)
    {
        var absolute = blocks.Where(p => p > 0 && Lufs(p) > -70).ToList();
        if (absolute.Count == 0)
        {
            return null;
        }

        double relativeGate = Lufs(absolute.Average()) - 10;
        var gated = absolute.Where(p => Lufs(p) > relativeGate).ToList();
        return gated.Count == 0 ? null : Lufs(gated.Average());
    }

    private static double? Range(List<double> shortTerm)
    {
        var absolute = shortTerm.Where(p => p > 0 && Lufs(p) > -70).ToList();
        if (absolute.Count == 0)
        {
            return null;
        }

        double relativeGate = Lufs(absolute.Average()) - 20;
        double[] gated = absolute.Where(p => Lufs(p) > relativeGate).Select(Lufs).Order().ToArray();
        if (gated.Length < 2)
        {
            return null;
        }

        double Percentile(double p) => gated[(int)Math.Round((gated.Length - 1) * p)];
        return Percentile(0.95) - Percentile(0.10);
    }

    /// <summary>Mean-square powers of blocks of <paramref name="subBlocks"/> × 100 ms, stepping by 100 ms.</summary>
    private List<double> BlockPowers(int subBlocks)
    {
        var powers = new List<double>(Math.Max(0, _subBlocks.Count - subBlocks + 1));
        double window = 0;
        for (int i = 0; i < _subBlocks.Count; i++)
        {
            window += _subBlocks[i];
            if (i >= subBlocks)
            {
                window -= _subBlocks[i - subBlocks];
            }

            if (i >= subBlocks - 1)
            {
                powers.Add(Math.Max(0, window / subBlocks));
            }
        }

        return powers;
    }

    /// <summary>Both biquads for one sample of channel <paramref name="channel"/>.</summary>
    private double Filter(double x, int channel)
    {
        Span<double> s = _state.AsSpan(channel * 4, 4);
        KWeighting k = _filter;

        // Transposed direct form II, state (s0, s1) per stage.
        double y1 = (k.ShelfB[0] * x) + s[0];
        s[0] = (k.ShelfB[1] * x) - (k.ShelfA[1] * y1) + s[1];
        s[1] = (k.ShelfB[2] * x) - (k.ShelfA[2] * y1);
        double y2 = (k.HighPassB[0] * y1) + s[2];
        s[2] = (k.HighPassB[1] * y1) - (k.HighPassA[1] * y2) + s[3];
        s[3] = (k.HighPassB[2] * y1) - (k.HighPassA[2] * y2);
        return y2;
    }
}
