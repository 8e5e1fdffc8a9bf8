using System.Buffers;
using MusicClassification.Decoding;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// Essentia's <c>RhythmExtractor2013</c> with the multi-feature beat tracker (Zapata, Davies and Gómez, 2014): five onset
/// detection functions, a Degara beat tracker on each, the sequence the others agree with most; the tempo from its
/// beat-to-beat intervals. Tempi 40 … 208 BPM, as Essentia's defaults.
/// </summary>
internal static class BeatTracker
{
    /// <summary>Essentia's multi-feature tracker runs at 44.1 kHz whatever it is given (its frames are fixed in samples).</summary>
    public const int SampleRate = 44_100;

    public const double MinBpm = 40;
    public const double MaxBpm = 208;

    // Essentia's tolerance for the intervals that make up the tempo.
    private const double PeriodToleranceBpm = 5;

    /// <summary>
    /// The tap the decoder feeds with the analysis window at Essentia's rate (<see cref="SampleRate"/>), so the onset
    /// functions see the same spectrum up to 22 kHz as Essentia's: cymbals, noise and air above 11 kHz move the
    /// trackers of quiet, noisy or percussion-poor music (measured: white and blue noise near silence, 10 s, chose
    /// 100.7 and 100.9 BPM at 22.05 kHz where Essentia says 129.2 and 116.3; at 44.1 kHz every value matches).
    /// </summary>
    public static IWindowTap CreateTap(ArrayPool<float> pool) => new OnsetFunctionsBuilder(SampleRate, pool);

    /// <summary>The beats and tempo of a signal at its own rate: the same steps, only the spectrum ends at its Nyquist frequency.</summary>
    public static BeatAnalysis Analyse(ReadOnlySpan<float> samples, int sampleRate, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        OnsetFunctions odf = OnsetFunctions.Compute(samples, sampleRate, pool, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return Analyse(odf, pool);
    }

    /// <summary>The beats and tempo from the five onset functions (from the decoder's tap, or computed from a signal).</summary>
    public static BeatAnalysis Analyse(OnsetFunctions odf, ArrayPool<float> pool)
    {
        List<double>[] candidates = Candidates(odf, pool);
        (IReadOnlyList<double> beats, double confidence) = BeatAgreement.Select(candidates);
        (double bpm, double regularity) = Tempo(beats);
        return new BeatAnalysis(bpm, confidence, regularity, beats);
    }

    /// <summary>
    /// The five trackers' beats (complex, RMS, mel flux, beat emphasis, information gain). They share one sequence of
    /// the C library's <c>rand()</c> from a fresh start, taken in this order (the order Essentia's network declares
    /// them), as the trackers of one <c>RhythmExtractor2013</c> call in a new process do.
    /// </summary>
    public static List<double>[] Candidates(OnsetFunctions odf, ArrayPool<float> pool)
    {
        var noise = new GlibcRandom();
        return
        [
            DegaraBeatTracker.Track(odf.Complex, odf.SlowRate, 2, MinBpm, MaxBpm, noise, pool),
            DegaraBeatTracker.Track(odf.Rms, odf.SlowRate, 2, MinBpm, MaxBpm, noise, pool),
            DegaraBeatTracker.Track(odf.MelFlux, odf.SlowRate, 2, MinBpm, MaxBpm, noise, pool),
            DegaraBeatTracker.Track(odf.BeatEmphasis, odf.FastRate, 1, MinBpm, MaxBpm, noise, pool),
            DegaraBeatTracker.Track(odf.InfoGain, odf.FastRate, 1, MinBpm, MaxBpm, noise, pool),
        ];
    }

    /// <summary>
    /// The tempo from the beats as <c>RhythmExtractor2013</c> takes it: the beat-to-beat tempi histogrammed in 2 BPM bins,
    /// the fullest bin's tempo, then the mean of the tempi within 5 BPM of it.
    /// </summary>
    public static (double Bpm, double Regularity) Tempo(IReadOnlyList<double> beats)
    {
        if (beats.Count < 2)
        {
            return (0, 0);
        }

        var tempi = new double[beats.Count - 1];
        for (int i = 1; i < beats.Count; i++)
        {
            tempi[i - 1] = 60 / (beats[i] - beats[i - 1]);
        }

        // numpy-style bincount of round(tempo / 2): the first fullest bin wins.
        var counts = new int[(int)(Math.Max(tempi.Max() / 2, 0) + 0.5) + 1];
        foreach (double t in tempi)
        {
            int index = (int)(Math.Max(t / 2, 0) + 0.5);
            if (index < counts.Length)
            {
                counts[index]++;
            }
        }

        int fullest = 0;
        for (int i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[fullest])
            {
                fullest = i;
            }
        }

        double closest = fullest * 2;
        double sum = 0;
        int near = 0;
        foreach (double t in tempi)
        {
            if (Math.Abs(closest - t) < PeriodToleranceBpm)
            {
                sum += t;
                near++;
            }
        }

        return near > 0 ? (sum / near, (double)near / tempi.Length) : (closest, 0);
    }
}
