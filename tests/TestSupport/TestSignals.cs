namespace MusicClassification.Tests.TestAudio;

/// <summary>The one place tests generate audio: analytic signals with known truths.</summary>
public static class TestSignals
{
    public static float[] Sine(double frequency, double seconds, int sampleRate, double amplitude = 0.5, double phase = 0)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (int n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)(amplitude * Math.Sin((2 * Math.PI * frequency * n / sampleRate) + phase));
        }

        return samples;
    }

    public static float[] Silence(double seconds, int sampleRate) => new float[(int)Math.Round(seconds * sampleRate)];

    public static float[] WhiteNoise(double seconds, int sampleRate, int seed, double amplitude = 0.5)
    {
        var random = new Random(seed);
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (int n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)(amplitude * ((random.NextDouble() * 2) - 1));
        }

        return samples;
    }

    /// <summary>Clicks (a 10 ms decaying burst) on every beat at <paramref name="bpm"/>.</summary>
    public static float[] ClickTrack(double bpm, double seconds, int sampleRate, double amplitude = 0.8)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        double period = 60.0 / bpm * sampleRate;
        int clickLength = sampleRate / 100;
        for (double start = 0; start < samples.Length; start += period)
        {
            int first = (int)Math.Round(start);
            for (int i = 0; i < clickLength && first + i < samples.Length; i++)
            {
                samples[first + i] = (float)(amplitude * Math.Exp(-i / (clickLength / 5.0)) * Math.Sin(2 * Math.PI * 1000 * i / sampleRate));
            }
        }

        return samples;
    }

    /// <summary>A note with a few decaying harmonics (a plucked-string-like timbre), so pitch-class analysis sees real partials.</summary>
    public static float[] Note(double frequency, double seconds, int sampleRate, double amplitude = 0.2)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (int n = 0; n < samples.Length; n++)
        {
            double t = (double)n / sampleRate;
            double envelope = Math.Exp(-1.5 * t);
            double value = 0;
            for (int h = 1; h <= 4; h++)
            {
                value += Math.Sin(2 * Math.PI * frequency * h * t) / (h * h);
            }

            samples[n] = (float)(amplitude * envelope * value);
        }

        return samples;
    }

    /// <summary>
    /// Chords, each a list of MIDI notes, played one after another for <paramref name="secondsEach"/> seconds, with
    /// A4 at 440 Hz moved by <paramref name="tuningCents"/>.
    /// </summary>
    public static float[] ChordProgression(int[][] chords, double secondsEach, int sampleRate, double tuningCents = 0)
    {
        int length = (int)Math.Round(secondsEach * sampleRate);
        var samples = new float[length * chords.Length];
        for (int c = 0; c < chords.Length; c++)
        {
            foreach (int midi in chords[c])
            {
                float[] note = Note(440 * Math.Pow(2, (midi - 69 + (tuningCents / 100)) / 12.0), secondsEach, sampleRate);
                for (int n = 0; n < length; n++)
                {
                    samples[(c * length) + n] += note[n];
                }
            }
        }

        return samples;
    }

    /// <summary>Interleaves per-channel signals into frames.</summary>
    public static float[] Interleave(params float[][] channels)
    {
        int frames = channels[0].Length;
        var interleaved = new float[frames * channels.Length];
        for (int f = 0; f < frames; f++)
        {
            for (int c = 0; c < channels.Length; c++)
            {
                interleaved[(f * channels.Length) + c] = channels[c][f];
            }
        }

        return interleaved;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }
}
