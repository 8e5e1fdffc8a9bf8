using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

/// <summary>"More like this" within a job: the nearest song to one is its near copy, by id or index, for any client that may see the job.</summary>
[TestClass]
public sealed class SimilarTests
{
    [TestMethod]
    public async Task The_nearest_song_to_one_is_its_near_copy_and_an_unknown_song_is_named_in_the_refusal()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        const int Rate = 22_050;
        float[] Mix(params float[][] parts) => [.. Enumerable.Range(0, parts[0].Length).Select(i => parts.Sum(p => p[i]))];
        (string Name, float[] Samples)[] songs =
        [
            ("clicks-120.wav", Mix(TestSignals.ClickTrack(120, 8, Rate), TestSignals.Sine(440, 8, Rate, 0.2))),
            ("noise.wav", TestSignals.WhiteNoise(8, Rate, seed: 5, amplitude: 0.3)),
            ("chords.wav", TestSignals.ChordProgression([[60, 64, 67], [65, 69, 72], [67, 71, 74], [60, 64, 67]], 2, Rate)),
            ("clicks-120-quieter.wav", Mix(TestSignals.ClickTrack(120, 8, Rate, 0.7), TestSignals.Sine(440, 8, Rate, 0.18))),
            ("hum.wav", TestSignals.Sine(60, 8, Rate, 0.4)),
        ];
        using var form = new MultipartFormDataContent();
        foreach ((string name, float[] samples) in songs)
        {
            form.Add(new ByteArrayContent(WavBytes.Encode(samples, Rate)), "file", name);
        }

        HttpResponseMessage created = await client.PostAsync(new Uri("/jobs", UriKind.Relative), form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode);
        await JobTests.WaitForStateAsync(client, created.Headers.Location!, "completed");

        JsonElement byName = await client.GetFromJsonAsync<JsonElement>(new Uri(created.Headers.Location + "/similar?song=clicks-120.wav&limit=2", UriKind.Relative));
        JsonElement byIndex = await client.GetFromJsonAsync<JsonElement>(new Uri(created.Headers.Location + "/similar?song=3", UriKind.Relative));

        Assert.AreEqual("genres", byName.GetProperty("basis").GetString());
        JsonElement[] neighbours = [.. byName.GetProperty("neighbours").EnumerateArray()];
        Assert.HasCount(2, neighbours);
        Assert.AreEqual("clicks-120-quieter.wav", neighbours[0].GetProperty("id").GetString(), byName.ToString());
        Assert.IsLessThan(neighbours[1].GetProperty("distance").GetDouble(), neighbours[0].GetProperty("distance").GetDouble());
        Assert.AreEqual(0, byIndex.GetProperty("neighbours")[0].GetProperty("index").GetInt32(), byIndex.ToString());
        Assert.HasCount(4, byIndex.GetProperty("neighbours").EnumerateArray().ToArray(), "every other song, the asked one left out");

        HttpResponseMessage unknown = await client.GetAsync(new Uri(created.Headers.Location + "/similar?song=absent.wav", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.AreEqual("song_not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
