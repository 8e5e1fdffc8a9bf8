using System.Net.Http.Headers;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

/// <summary>Multipart batches of generated songs, some broken on purpose.</summary>
internal static class BatchForms
{
    public static byte[] Song(int seed, double seconds = 0.5) =>
        WavBytes.Encode(TestSignals.Sine(220 + (seed % 40 * 20), seconds, 22_050), 22_050);

    /// <summary>A form of <paramref name="count"/> songs where every <paramref name="brokenEvery"/>-th part is not audio.</summary>
    public static MultipartFormDataContent Form(int count, int brokenEvery = 0, string name = "song", double seconds = 0.5)
    {
        var form = new MultipartFormDataContent();
        for (int i = 0; i < count; i++)
        {
            bool broken = brokenEvery > 0 && i % brokenEvery == brokenEvery - 1;
            byte[] bytes = broken ? "this part is not audio at all"u8.ToArray() : Song(i, seconds);
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", $"{name}-{i:D4}.wav");
        }

        return form;
    }

    /// <summary>A <c>POST /classify/batch</c> asking for NDJSON.</summary>
    public static HttpRequestMessage NdjsonBatch(HttpContent form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/classify/batch") { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        return request;
    }
}
