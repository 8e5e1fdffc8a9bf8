using MusicClassification.Host.Jobs;

namespace MusicClassification.Host.Tests;

/// <summary>The neighbour distance on stored results: MusiCNN tags by cosine when every song has them, z-scores otherwise.</summary>
[TestClass]
public sealed class SongSimilarityTests
{
    [TestMethod]
    public void With_tags_on_every_song_the_distance_is_the_tag_vectors_cosine()
    {
        string Result(int index, double rock, double piano, double electronic) => $$"""
            {"id":"s{{index}}.mp3","index":{{index}},"audio":{"tempoBpm":120,"key":"C","mode":"major","loudnessLufs":-10},
             "tags":[{"label":"rock","probability":{{rock}}},{"label":"piano","probability":{{piano}}},{"label":"electronic","probability":{{electronic}}}]}
            """;
        SongSimilarity index = SongSimilarity.From([Result(0, 0.9, 0.1, 0.0), Result(1, 0.0, 0.2, 0.9), Result(2, 0.45, 0.05, 0.0), Result(3, 0.1, 0.9, 0.1)]);

        IReadOnlyList<Neighbour> nearest = index.Nearest(index.Find("s0.mp3")!, 3);

        Assert.AreEqual("musicnn-tags", index.Basis);
        CollectionAssert.AreEqual(new[] { 2, 3, 1 }, nearest.Select(n => n.Index).ToArray());
        Assert.AreEqual(0, nearest[0].Distance, 1e-4, "the same direction at half the strength is the same tags");
        double cosine = ((0.9 * 0.1) + (0.1 * 0.9)) / (Math.Sqrt((0.9 * 0.9) + (0.1 * 0.1)) * Math.Sqrt((0.1 * 0.1) + (0.9 * 0.9) + (0.1 * 0.1)));
        Assert.AreEqual(Math.Round(1 - cosine, 4), nearest[1].Distance, 1e-9);
    }

    [TestMethod]
    public void Without_tags_tempo_key_and_loudness_weigh_beside_the_genres_and_failed_songs_are_left_out()
    {
        string Result(int index, double rock, double bpm, string key, double lufs) => $$"""
            {"id":"s{{index}}.mp3","index":{{index}},"audio":{"tempoBpm":{{bpm}},"key":"{{key}}","mode":"major","loudnessLufs":{{lufs}}},
             "genres":[{"label":"rock","probability":{{rock}}},{"label":"jazz","probability":{{1 - rock}}}]}
            """;
        SongSimilarity index = SongSimilarity.From([
            Result(0, 0.8, 120, "C", -9),
            Result(1, 0.8, 60, "F#", -25),
            Result(2, 0.8, 121, "G", -9.5),
            """{"id":"broken.mp3","index":3,"error":{"code":"corrupt_audio","message":"x"}}""",
        ]);

        Assert.AreEqual("genres", index.Basis);
        Assert.AreEqual(3, index.Count);
        Assert.IsNull(index.Find("broken.mp3"));
        CollectionAssert.AreEqual(new[] { 2, 1 }, index.Nearest(index.Find("0")!, 5).Select(n => n.Index).ToArray(),
            "same genres everywhere: a near tempo, a neighbouring key and a like loudness decide");
    }
}
