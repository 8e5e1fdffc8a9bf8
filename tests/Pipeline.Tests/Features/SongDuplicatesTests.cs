using System.Text.Json;
using MusicClassification.Features.Fingerprints;
using MusicClassification.Tests;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Pipeline.Tests.Features;

/// <summary>
/// Duplicates as Chromaprint's comparison finds them: one recording in MP3 (two bitrates), AAC, FLAC, Ogg Vorbis and with
/// silence added before it is one group; another recording in two formats is another; unrelated songs are in none.
/// </summary>
[TestClass]
public sealed class SongDuplicatesTests
{
    [TestMethod]
    public void A_compressed_fingerprint_decodes_to_fpcalcs_raw_subfingerprints()
    {
        foreach (JsonProperty clip in TestData.FpcalcReference().GetProperty("clips").EnumerateObject())
        {
            uint[] raw = [.. clip.Value.GetProperty("raw").EnumerateArray().Select(v => (uint)v.GetInt64())];
            CollectionAssert.AreEqual(raw, ChromaprintEncoding.Decode(clip.Value.GetProperty("fingerprint").GetString()!), clip.Name);
        }

        Assert.IsNull(ChromaprintEncoding.Decode("not a fingerprint!"));
        Assert.IsNull(ChromaprintEncoding.Decode("AQAA"));
    }

    [TestMethod]
    public void The_matcher_aligns_a_shifted_copy_and_finds_nothing_between_different_songs()
    {
        JsonElement reference = TestData.FpcalcReference();
        uint[] Raw(string clip) => [.. reference.GetProperty("clips").GetProperty(clip).GetProperty("raw").EnumerateArray().Select(v => (uint)v.GetInt64())];
        uint[] nebula = Raw("singularity-nebula-30s.ogg");
        uint[] coherence = Raw("singularity-coherence-30s.ogg");

        var same = ChromaprintMatcher.Match(nebula, nebula);
        var shifted = ChromaprintMatcher.Match(nebula.AsSpan(10).ToArray(), nebula);
        var different = ChromaprintMatcher.Match(nebula, coherence);

        Assert.AreEqual(new ChromaprintMatcher.Segment(0, 0, nebula.Length, 0), same.Single());
        Assert.AreEqual(new ChromaprintMatcher.Segment(0, 10, nebula.Length - 10, 0), shifted.Single());
        Assert.IsEmpty(different, string.Join("; ", different));
    }

    [TestMethod]
    public async Task One_recording_in_every_format_is_one_group_and_unrelated_songs_are_in_none()
    {
        string nebula = TestData.Clip("singularity-nebula-30s");
        string steps = Path.Combine(Path.GetTempPath(), $"mc-dup-steps-{Guid.NewGuid():N}.wav");
        FfmpegEncoder.Run("-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
            "aevalsrc=0.3*sin(2*PI*(220+110*mod(floor(t/2)\\,7))*t)+0.2*sin(2*PI*(330+55*mod(floor(t/3)\\,5))*t):s=44100:d=60", "-c:a", "pcm_s16le", steps);
        try
        {
            (string Name, byte[] Bytes)[] songs =
            [
                ("nebula.ogg", await File.ReadAllBytesAsync(nebula)),
                ("coherence.ogg", await File.ReadAllBytesAsync(TestData.Clip("singularity-coherence-30s"))),
                ("nebula-128k.mp3", FfmpegEncoder.EncodeFile(nebula, "mp3", "-c:a", "libmp3lame", "-b:a", "128k")),
                ("steps.wav", await File.ReadAllBytesAsync(steps)),
                ("nebula-64k.mp3", FfmpegEncoder.EncodeFile(nebula, "mp3", "-c:a", "libmp3lame", "-b:a", "64k")),
                ("nebula.m4a", FfmpegEncoder.EncodeFile(nebula, "m4a", "-c:a", "aac", "-b:a", "96k")),
                ("media-threat.ogg", await File.ReadAllBytesAsync(TestData.Clip("singularity-media-threat-30s"))),
                ("nebula.flac", FfmpegEncoder.EncodeFile(nebula, "flac", "-c:a", "flac")),
                ("nebula-q1.ogg", FfmpegEncoder.EncodeFile(nebula, "ogg", "-c:a", "libvorbis", "-q:a", "1")),
                ("nebula-after-silence.mp3", FfmpegEncoder.EncodeFile(nebula, "mp3", "-af", "adelay=3000:all=1", "-c:a", "libmp3lame", "-b:a", "128k")),
                ("steps.mp3", FfmpegEncoder.EncodeFile(steps, "mp3", "-c:a", "libmp3lame", "-b:a", "96k")),
            ];
            await using MusicClassificationPipeline pipeline = TestPipelines.Create(new PipelineOptions
            {
                Features = { Fingerprint = true },
                Decoding = { FfmpegPath = TestDecoder.FfmpegPath },
            });

            List<SongResult> results = await TestPipelines.CollectAsync(
                pipeline.ClassifyAsync(songs.Select(s => SongInput.FromBytes(s.Name, s.Bytes)).ToAsyncEnumerable()));

            Assert.IsTrue(results.All(r => r.Fingerprint is not null), string.Join(", ", results.Where(r => r.Fingerprint is null).Select(r => r.Id)));
            results.Sort((x, y) => x.Index.CompareTo(y.Index));
            IReadOnlyList<IReadOnlyList<int>> groups = SongDuplicates.Find(results);
            string Named(IReadOnlyList<int> group) => string.Join(", ", group.Select(i => songs[i].Name));
            Assert.HasCount(2, groups, string.Join(" | ", groups.Select(Named)));
            CollectionAssert.AreEqual(new[] { 0, 2, 4, 5, 7, 8, 9 }, groups[0].ToArray(), Named(groups[0]));
            CollectionAssert.AreEqual(new[] { 3, 10 }, groups[1].ToArray(), Named(groups[1]));
        }
        finally
        {
            File.Delete(steps);
        }
    }
}
