using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using MusicClassification.Dsp;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// Beat positions from one onset detection function, as Essentia's <c>TempoTapDegara</c> finds them: the beat period
/// every 1.5 s from the autocorrelation of 6 s of the function (comb-filtered over four metrical levels, weighted by a
/// Rayleigh tempo prior peaking at 120 BPM) followed through time with a Viterbi path (Davies and Plumbley, 2007), then
/// the beats themselves by a second Viterbi decoding of a hidden Markov model whose states count the time since the
/// last beat, its transitions a Gaussian around the current period (Degara et al., 2012).
/// </summary>
internal static class DegaraBeatTracker
{
    private const double FrameSeconds = 5.944308390022676;
    private const int Combs = 4;
    private const double Alpha = 0.5;
    private const double SigmaIbi = 0.025;
    private const float SingleEpsilon = 1.1920929E-07f;

    private static readonly ConcurrentDictionary<(double Rate, double MinBpm, double MaxBpm), Configuration> Configurations = new();

    /// <summary>Returns the beat times in seconds.</summary>
    /// <param name="onsets">The detection function, non-negative.</param>
    /// <param name="functionRate">Its rate in values per second.</param>
    /// <param name="upsample">1, or 2 to interpolate the function linearly to twice its rate first.</param>
    /// <param name="minBpm">The slowest tempo considered.</param>
    /// <param name="maxBpm">The fastest tempo considered.</param>
    /// <param name="noise">The C library's <c>rand()</c> sequence, shared by the song's trackers in Essentia's order.</param>
    /// <param name="pool">Scratch buffers.</param>
    public static List<double> Track(ReadOnlySpan<float> onsets, double functionRate, int upsample, double minBpm, double maxBpm, GlibcRandom noise, ArrayPool<float> pool)
    {
        var ticks = new List<double>();
        if (!onsets.ContainsAnyExcept(0f))
        {
            // No onset at all (silence): Essentia would decode beats from noise alone; there are none.
            return ticks;
        }

        int length = upsample == 1 || onsets.Length == 1 ? onsets.Length : ((onsets.Length - 1) * upsample) + 1;
        float[] buffer = pool.Rent(2 * length);
        try
        {
            Span<float> detections = buffer.AsSpan(0, length);
            Normalise(onsets, upsample, detections);
            Configuration tracker = Configurations.GetOrAdd((functionRate * upsample, minBpm, maxBpm), static key => new Configuration(key.Rate, key.MinBpm, key.MaxBpm));
            (int[] periods, double[] periodEnds) = BeatPeriods(detections, buffer.AsSpan(length, length), tracker, noise, pool);
            DecodeBeats(detections, periods, periodEnds, tracker, upsample, ticks);
            return ticks;
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    /// <summary>Scaled to a peak of 1 and, for <paramref name="upsample"/> 2, linearly interpolated to twice the rate.</summary>
    private static void Normalise(ReadOnlySpan<float> onsets, int upsample, Span<float> result)
    {
        float peak = 0;
        foreach (float v in onsets)
        {
            peak = Math.Max(peak, v);
        }

        float scale = peak != 0 ? peak : 1;
        if (upsample == 1 || onsets.Length == 1)
        {
            for (int i = 0; i < onsets.Length; i++)
            {
                result[i] = onsets[i] / scale;
            }

            return;
        }

        for (int i = 0; i < onsets.Length - 1; i++)
        {
            float a = onsets[i] / scale;
            float delta = ((onsets[i + 1] / scale) - a) / upsample;
            for (int j = 0; j < upsample; j++)
            {
                result[(i * upsample) + j] = a + (delta * j);
            }
        }

        result[^1] = onsets[^1] / scale;
    }

    /// <summary>The beat period (in function values minus one) of every 1.5 s frame and the time each frame's period holds until.</summary>
    private static (int[] Periods, double[] Ends) BeatPeriods(ReadOnlySpan<float> detections, Span<float> thresholded, Configuration c, GlibcRandom noise, ArrayPool<float> pool)
    {
        detections.CopyTo(thresholded);
        AdaptiveThreshold(thresholded, c.SmoothingHalf, pool);

        var observations = new List<double[]>();
        double observationsMax = 0;
        float[] frame = new float[c.FrameSize];
        float[] acf = new float[c.FrameSize];
        var combed = new float[c.Hop];
        int n = thresholded.Length;
        for (int start = 0; ; start += c.Hop)
        {
            // Frames from the first value, the last one zero-padded: the one that reaches the end.
            int available = Math.Min(c.FrameSize, n - start);
            Array.Clear(frame);
            thresholded.Slice(start, available).CopyTo(frame);
            Autocorrelation.Unbiased(frame, acf, pool);
            Array.Clear(combed);
            for (int comb = 1; comb <= Combs; comb++)
            {
                int width = (2 * comb) - 1;
                for (int region = 1 - comb; region <= comb - 1; region++)
                {
                    for (int period = c.PeriodMinIndex; period <= c.PeriodMaxIndex; period++)
                    {
                        combed[period] += (float)(c.TempoWeights[period] * acf[((period + 1) * comb) - 1 + region] / width);
                    }
                }
            }

            AdaptiveThreshold(combed, 8, pool);
            combed.AsSpan(0, c.PeriodMinUserIndex + 1).Clear();
            combed.AsSpan(c.PeriodMaxUserIndex + 1).Clear();
            double[] observation = NormalisedSum(combed);
            observations.Add(observation);
            observationsMax = Math.Max(observationsMax, observation.Max());
            if (start + c.FrameSize >= n)
            {
                break;
            }
        }

        // Essentia adds a little noise (1e−4 of the largest observation) so that no column is all zero and ties break:
        // the C library's rand(), in Essentia's arithmetic (the largest observation and each value as floats).
        double scale = 0.0001 * (float)observationsMax;
        foreach (double[] observation in observations)
        {
            for (int i = 0; i < observation.Length; i++)
            {
                observation[i] += scale * (float)noise.Next() / GlibcRandom.RandMax;
            }
        }

        int[] path = ViterbiPath(c, observations);
        double[] ends = new double[path.Length];
        for (int t = 0; t < path.Length; t++)
        {
            ends[t] = (t + 1) * (FrameSeconds / Combs);
        }

        return (path, ends);
    }

    private static int[] ViterbiPath(Configuration c, List<double[]> observations)
    {
        double[] prior = c.TempoWeights;
        double[][] transitions = c.PeriodTransitions;
        int periods = prior.Length;
        int frames = observations.Count;
        var psi = new int[frames][];
        var delta = new double[periods];
        for (int i = 0; i < periods; i++)
        {
            delta[i] = prior[i] * observations[0][i];
        }

        NormaliseSumInPlace(delta);
        psi[0] = new int[periods];
        var next = new double[periods];
        for (int t = 1; t < frames; t++)
        {
            psi[t] = new int[periods];
            for (int j = 0; j < periods; j++)
            {
                // Outside its band a row is zero: every product there is 0, and when nothing in the band beats 0 the first
                // maximum over the whole row is period 0, as Essentia's argmax finds it.
                double best = 0;
                int bestIndex = 0;
                double[] row = transitions[j];
                for (int i = c.RowFirst[j]; i <= c.RowLast[j]; i++)
                {
                    double value = delta[i] * row[i];
                    if (value > best)
                    {
                        best = value;
                        bestIndex = i;
                    }
                }

                next[j] = best * observations[t][j];
                psi[t][j] = bestIndex;
            }

            NormaliseSumInPlace(next);
            (delta, next) = (next, delta);
        }

        var path = new int[frames];
        path[^1] = ArgMax(delta);
        for (int t = frames - 2; t >= 0; t--)
        {
            path[t] = psi[t + 1][path[t + 1]];
        }

        return path;
    }

    /// <summary>The beats: a Viterbi decoding of the time-since-last-beat model, the period's transitions switching every 1.5 s.</summary>
    private static void DecodeBeats(ReadOnlySpan<float> detections, int[] periods, double[] periodEnds, Configuration c, int upsample, List<double> ticks)
    {
        double resolution = 1 / c.Rate;
        double periodMax = (periods.Max() + 1) / c.Rate;
        double ibiMax = periodMax + (3 * SigmaIbi);
        int states = 0;
        for (float t = (float)resolution; t <= (float)ibiMax; t += (float)resolution)
        {
            states++;
        }

        double[] gaussian = GaussianPdf(SigmaIbi, resolution, 0.01 / upsample);
        var models = new Dictionary<int, (double[] ToBeat, double[] ToNext, int First, int End)>();
        foreach (int period in periods)
        {
            if (!models.ContainsKey(period))
            {
                double periodSeconds = (period + 1) / c.Rate;
                int shift = (gaussian.Length / 2) - (int)Math.Round((periodSeconds / resolution) - 1, MidpointRounding.AwayFromZero);
                var ibiPdf = new double[states];
                for (int j = 0; j < states; j++)
                {
                    int k = j + shift;
                    ibiPdf[j] = k < 0 || k >= gaussian.Length ? 0 : gaussian[k];
                }

                (double[] toBeat, double[] toNext) = Transitions(ibiPdf);
                (int first, int end) = FiniteRange(toBeat);
                models[period] = (toBeat, toNext, first, end);
            }
        }

        int frames = detections.Length;

        // Only state 0 (a beat) has a choice of predecessor; every other state comes from the one before it.
        int[] beatPredecessor = ArrayPool<int>.Shared.Rent(frames);
        var cost = new double[states];
        var diff = new double[states];
        var costOld = new double[states];
        Array.Fill(costOld, double.PositiveInfinity);
        costOld[0] = 0;
        int current = 0;
        for (int t = 0; t < frames; t++)
        {
            (double[] toBeat, double[] toNext, int first, int end) = models[periods[current]];

            // Outside the inter-beat interval's support the transition costs +∞, and so does every path through it: the
            // cheapest predecessor is searched where it can be. All +∞ (no path yet) picks state 0, as a full search would.
            Span<double> reachable = diff.AsSpan(first, end - first);
            TensorPrimitives.Subtract(costOld.AsSpan(first, end - first), toBeat.AsSpan(first, end - first), reachable);
            int bestState = reachable.IsEmpty ? 0 : first + TensorPrimitives.IndexOfMin(reachable);
            double bestPath = reachable.IsEmpty ? double.PositiveInfinity : diff[bestState];
            bestState = double.IsPositiveInfinity(bestPath) ? 0 : bestState;

            // Essentia lifts zeros to single precision's machine epsilon so that the logarithm stays finite.
            double probability = 0.99 * (detections[t] == 0 ? SingleEpsilon : detections[t]);
            double beat = (1 - Alpha) * Math.Log(probability);
            double noBeat = (1 - Alpha) * Math.Log(1 - probability);
            beatPredecessor[t] = bestState;
            cost[0] = -beat + bestPath;
            Span<double> next = cost.AsSpan(1);
            TensorPrimitives.Subtract(costOld.AsSpan(0, states - 1), toNext.AsSpan(0, states - 1), next);
            TensorPrimitives.Subtract(next, noBeat, next);

            (cost, costOld) = (costOld, cost);
            if (t + 1 < frames)
            {
                double now = (t + 1) * resolution;
                for (int i = current + 1; i < periodEnds.Length && periodEnds[i] <= now; i++)
                {
                    current = i;
                }
            }
        }

        // Back through the states from the cheapest end: a beat wherever the path is in state 0.
        int stateAt = ArgMin(costOld);
        for (int t = frames - 1; ; t--)
        {
            if (stateAt == 0)
            {
                ticks.Add(t * resolution);
            }

            if (t == 0)
            {
                break;
            }

            stateAt = stateAt == 0 ? beatPredecessor[t] : stateAt - 1;
        }

        ArrayPool<int>.Shared.Return(beatPredecessor);
        ticks.Reverse();
    }

    /// <summary>The index range [first, end) outside which every value is −∞ (the log of a zero probability).</summary>
    private static (int First, int End) FiniteRange(double[] logProbabilities)
    {
        int first = 0;
        while (first < logProbabilities.Length && double.IsNegativeInfinity(logProbabilities[first]))
        {
            first++;
        }

        int end = logProbabilities.Length;
        while (end > first && double.IsNegativeInfinity(logProbabilities[end - 1]))
        {
            end--;
        }

        return (first, end);
    }

    /// <summary>
    /// The log transition weights (× α) into the beat state and on to the next state, from the inter-beat interval
    /// distribution: the probability of a beat after exactly i + 1 steps, given none before.
    /// </summary>
    private static (double[] ToBeat, double[] ToNext) Transitions(double[] ibiPdf)
    {
        int states = ibiPdf.Length;
        var toBeat = new double[states];
        var toNext = new double[states];
        toBeat[0] = ibiPdf[0];
        toNext[0] = 1 - toBeat[0];
        double logSurvival = 0;
        for (int i = 1; i < states; i++)
        {
            logSurvival += Math.Log(toNext[i - 1]);
            double p = Math.Exp(Math.Log(ibiPdf[i]) - logSurvival);
            toBeat[i] = double.IsNaN(p) ? 0 : Math.Clamp(p, 0, 1);
            toNext[i] = i + 1 < states ? 1 - toBeat[i] : 0;
        }

        for (int i = 0; i < states; i++)
        {
            toBeat[i] = Math.Log(toBeat[i]) * Alpha;
            toNext[i] = Math.Log(toNext[i]) * Alpha;
        }

        return (toBeat, toNext);
    }

    /// <summary>Subtracts a 17-value moving average (the ends extended by their values) and keeps what is above it.</summary>
    private static void AdaptiveThreshold(Span<float> values, int half, ArrayPool<float> pool)
    {
        int n = values.Length;
        int width = (2 * half) + 1;
        float[] rented = pool.Rent(n);
        Span<float> smoothed = rented.AsSpan(0, n);
        double sum = 0;
        for (int k = -half; k <= half; k++)
        {
            sum += values[Math.Clamp(k, 0, n - 1)];
        }

        for (int i = 0; i < n; i++)
        {
            smoothed[i] = (float)(sum / width);
            sum += values[Math.Min(i + half + 1, n - 1)] - values[Math.Max(i - half, 0)];
        }

        for (int i = 0; i < n; i++)
        {
            values[i] = Math.Max(0, values[i] - smoothed[i]);
        }

        pool.Return(rented);
    }

    private static double[] NormalisedSum(float[] values)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
            sum += values[i];
        }

        if (sum != 0 && values.All(v => v >= 0))
        {
            for (int i = 0; i < result.Length; i++)
            {
                result[i] /= sum;
            }
        }

        return result;
    }

    private static void NormaliseSumInPlace(double[] values)
    {
        double sum = values.Sum();
        if (sum != 0)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] /= sum;
            }
        }
    }

    /// <summary>A sampled Gaussian, 4 standard deviations each side, multiplied by <paramref name="scale"/>, values under 1e−12 set to 0.</summary>
    private static double[] GaussianPdf(double std, double step, double scale)
    {
        int size = (2 * (int)Math.Ceiling(4 * std / step)) + 1;
        int mean = size / 2;
        var gaussian = new double[size];
        double term1 = 1 / (std * Math.Sqrt(2 * Math.PI));
        double term2 = -2 * std * std;
        for (int i = 0; i <= mean; i++)
        {
            double value = term1 * Math.Exp(Math.Pow((i - mean) * step, 2) / term2) * scale;
            gaussian[i] = gaussian[size - 1 - i] = value < 1e-12 ? 0 : value;
        }

        return gaussian;
    }

    private static int ArgMax(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static int ArgMin(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The tracker's constants at one function rate.</summary>
    private sealed class Configuration
    {
        public Configuration(double rate, double minBpm, double maxBpm)
        {
            Rate = rate;
            FrameSize = (int)Math.Round(FrameSeconds * rate);
            Hop = FrameSize / Combs;
            SmoothingHalf = (int)Math.Floor(0.1 * rate);
            PeriodMinIndex = Combs - 1;
            PeriodMaxIndex = ((FrameSize - (Combs - 1)) / Combs) - 1;
            PeriodMaxUserIndex = Math.Min(Hop - 1, (int)Math.Ceiling(60 / minBpm * rate) - 1);
            PeriodMinUserIndex = Math.Min(Hop - 1, (int)Math.Floor(60 / maxBpm * rate) - 1);

            // The Rayleigh tempo prior, its mode at 120 BPM, over periods 1 … hop.
            double rayleigh = Math.Pow(Math.Round(60 * rate / 120), 2);
            TempoWeights = new double[Hop];
            for (int i = 0; i < Hop; i++)
            {
                int tau = i + 1;
                TempoWeights[i] = tau / rayleigh * Math.Exp(-0.5 * tau * tau / rayleigh);
            }

            double total = TempoWeights.Sum();
            for (int i = 0; i < Hop; i++)
            {
                TempoWeights[i] /= total;
            }

            // Period-to-period transitions: a Gaussian (8 steps wide at 86 Hz) within 28 … 108 steps.
            double scale = rate / (44_100.0 / 512);
            double[] gaussian = GaussianPdf(8 * scale, 1, 1);
            int minIndex = (int)Math.Floor(28 * scale) - 1;
            int maxIndex = (int)Math.Ceiling(108 * scale) - 1;
            int mean = gaussian.Length / 2;
            PeriodTransitions = new double[Hop][];
            for (int i = 0; i < Hop; i++)
            {
                PeriodTransitions[i] = new double[Hop];
            }

            for (int i = minIndex; i <= maxIndex && i < Hop; i++)
            {
                for (int j = i - mean; j <= i + mean; j++)
                {
                    if (j >= minIndex && j <= maxIndex && j < Hop)
                    {
                        PeriodTransitions[i][j] = gaussian[j - (i - mean)];
                    }
                }
            }

            RowFirst = new int[Hop];
            RowLast = new int[Hop];
            for (int i = 0; i < Hop; i++)
            {
                RowFirst[i] = Array.FindIndex(PeriodTransitions[i], v => v != 0);
                RowLast[i] = Array.FindLastIndex(PeriodTransitions[i], v => v != 0);
                if (RowFirst[i] < 0)
                {
                    (RowFirst[i], RowLast[i]) = (0, -1);
                }
            }
        }

        public double Rate { get; }

        public int FrameSize { get; }

        public int Hop { get; }

        public int SmoothingHalf { get; }

        public int PeriodMinIndex { get; }

        public int PeriodMaxIndex { get; }

        public int PeriodMinUserIndex { get; }

        public int PeriodMaxUserIndex { get; }

        public double[] TempoWeights { get; }

        public double[][] PeriodTransitions { get; }

        /// <summary>Gets each row's first non-zero column (its last is <see cref="RowLast"/>; an empty row has last &lt; first).</summary>
        public int[] RowFirst { get; }

        public int[] RowLast { get; }
    }
}
