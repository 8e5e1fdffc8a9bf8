using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests;

/// <summary>Ready-made songs for pipeline tests.</summary>
internal static class SongFactory
{
    private static readonly byte[] ShortSine = WavBytes.Encode(TestSignals.Sine(440, 0.25, 22_050), 22_050);

    public static SongInput Good(string id) => SongInput.FromBytes(id, ShortSine);

    public static SongInput Corrupt(string id) => SongInput.FromBytes(id, ShortSine.AsMemory(0, 40));

    public static SongInput Garbage(string id) => SongInput.FromBytes(id, "not audio at all"u8.ToArray());

    /// <summary>Distinct songs (different tones, rates, encodings) so results can be compared song by song.</summary>
    public static List<SongInput> Varied(int count, string prefix = "song")
    {
        var songs = new List<SongInput>(count);
        int[] rates = [8_000, 22_050, 44_100, 48_000];
        for (int i = 0; i < count; i++)
        {
            int rate = rates[i % rates.Length];
            float[] tone = TestSignals.Sine(110 * (1 + (i % 7)), 0.2 + (0.01 * (i % 5)), rate, amplitude: 0.1 + (0.05 * (i % 9)));
            WavEncoding encoding = (WavEncoding)(i % 6);
            songs.Add(SongInput.FromBytes($"{prefix}-{i}", WavBytes.Encode(tone, rate, 1, encoding)));
        }

        return songs;
    }
}
