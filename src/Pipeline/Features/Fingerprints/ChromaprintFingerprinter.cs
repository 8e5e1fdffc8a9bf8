using MusicClassification.Dsp.Fft;

namespace MusicClassification.Features.Fingerprints;

/// <summary>
/// Chromaprint's default fingerprint (<c>TEST2</c>) of 16-bit mono audio at 11 025 Hz, ported step by step: frames of
/// 4096 samples every 1365 under a Hamming window scaled by 1/32767, the power spectrum (single precision, as FFmpeg's
/// RDFT gives it), 12 pitch classes from 28 to 3520 Hz, a 5-tap filter over time, Euclidean normalisation, and one
/// 32-bit subfingerprint per frame from 16 classifiers over the rolling integral image. Stateless: every call owns its
/// buffers.
/// </summary>
internal static class ChromaprintFingerprinter
{
    /// <summary>The sample rate the algorithm reads.</summary>
    public const int SampleRate = 11_025;

    private const int FrameSize = 4096;
    private const int Hop = FrameSize / 3;
    private const int Bands = 12;
    private const int MinFrequency = 28;
    private const int MaxFrequency = 3520;
    private static readonly double[] TimeFilter = [0.25, 0.75, 1.0, 0.75, 0.25];
    private static readonly float[] Window = HammingWindow();
    private static readonly (int Min, int Max, byte[] Notes) Pitches = PitchClasses();

    /// <summary>The subfingerprints (one per frame once the filters have enough frames) of <paramref name="samples"/>.</summary>
    public static uint[] Compute(ReadOnlySpan<short> samples)
    {
        int frames = samples.Length < FrameSize ? 0 : ((samples.Length - FrameSize) / Hop) + 1;
        var fingerprint = new List<uint>(Math.Max(0, frames - TimeFilter.Length - ChromaprintClassifiers.MaxFilterWidth + 2));
        RealFftPlan fft = RealFftPlan.For(FrameSize);
        float[] input = new float[FrameSize];
        float[] scratch = new float[fft.ScratchLength];
        float[] re = new float[fft.BinCount];
        float[] im = new float[fft.BinCount];
        var history = new double[TimeFilter.Length][];
        for (int i = 0; i < history.Length; i++)
        {
            history[i] = new double[Bands];
        }

        double[] chroma = new double[Bands];
        double[] filtered = new double[Bands];
        var image = new ChromaIntegralImage(256);
        for (int frame = 0; frame < frames; frame++)
        {
            ReadOnlySpan<short> slice = samples.Slice(frame * Hop, FrameSize);
            for (int i = 0; i < FrameSize; i++)
            {
                input[i] = slice[i] * Window[i];
            }

            fft.Forward(input, scratch, re, im);
            Chroma(re, im, chroma);
            chroma.CopyTo(history[frame % history.Length], 0);
            if (frame < TimeFilter.Length - 1)
            {
                continue;
            }

            // The five most recent rows, oldest first, each weighted by its tap.
            Array.Clear(filtered);
            int oldest = frame - (TimeFilter.Length - 1);
            for (int band = 0; band < Bands; band++)
            {
                for (int tap = 0; tap < TimeFilter.Length; tap++)
                {
                    filtered[band] += history[(oldest + tap) % history.Length][band] * TimeFilter[tap];
                }
            }

            Normalise(filtered);
            image.AddRow(filtered);
            if (image.Rows >= ChromaprintClassifiers.MaxFilterWidth)
            {
                fingerprint.Add(Subfingerprint(image, image.Rows - ChromaprintClassifiers.MaxFilterWidth));
            }
        }

        return [.. fingerprint];
    }

    private static void Chroma(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<double> chroma)
    {
        chroma.Clear();
        (int min, int max, byte[] notes) = Pitches;
        for (int i = min; i < max; i++)
        {
            // The power is formed in single precision, as Chromaprint's FFmpeg RDFT output is, then widened.
            float power = (re[i] * re[i]) + (im[i] * im[i]);
            chroma[notes[i]] += power;
        }
    }

    private static void Normalise(Span<double> features)
    {
        double squares = 0;
        foreach (double value in features)
        {
            squares += value * value;
        }

        double norm = squares > 0 ? Math.Sqrt(squares) : 0;
        if (norm < 0.01)
        {
            features.Clear();
            return;
        }

        for (int i = 0; i < features.Length; i++)
        {
            features[i] /= norm;
        }
    }

    private static uint Subfingerprint(ChromaIntegralImage image, int offset)
    {
        uint bits = 0;
        foreach (ChromaprintClassifier classifier in ChromaprintClassifiers.Test2)
        {
            int level = classifier.Quantizer.Quantize(classifier.Filter.Apply(image, offset));
            bits = (bits << 2) | GrayCode(level);
        }

        return bits;
    }

    private static uint GrayCode(int level) => level switch { 0 => 0u, 1 => 1u, 2 => 3u, _ => 2u };

    private static float[] HammingWindow()
    {
        var window = new float[FrameSize];
        for (int i = 0; i < FrameSize; i++)
        {
            window[i] = (float)(1.0 / short.MaxValue * (0.54 - (0.46 * Math.Cos(i * 2.0 * Math.PI / (FrameSize - 1)))));
        }

        return window;
    }

    /// <summary>Each FFT bin's pitch class between 28 and 3520 Hz (A0 = 27.5 Hz starts an octave), as Chromaprint assigns it.</summary>
    private static (int Min, int Max, byte[] Notes) PitchClasses()
    {
        int min = Math.Max(1, FrequencyToIndex(MinFrequency));
        int max = Math.Min(FrameSize / 2, FrequencyToIndex(MaxFrequency));
        var notes = new byte[FrameSize];
        for (int i = min; i < max; i++)
        {
            double frequency = (double)i * SampleRate / FrameSize;
            double octave = Math.Log(frequency / (440.0 / 16.0)) / Math.Log(2.0);
            notes[i] = (byte)(Bands * (octave - Math.Floor(octave)));
        }

        return (min, max, notes);
    }

    private static int FrequencyToIndex(double frequency) => (int)Math.Round(FrameSize * frequency / SampleRate, MidpointRounding.AwayFromZero);
}
