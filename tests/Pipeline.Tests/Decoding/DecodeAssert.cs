using MusicClassification.Decoding;
using MusicClassification.Dsp;

namespace MusicClassification.Tests.Decoding;

/// <summary>Runs the production decoder on bytes and checks failures by code.</summary>
internal static class DecodeAssert
{
    public static async Task<DecodedAudio> DecodeAsync(byte[] bytes, int analysisRate, Action<DecodingOptions>? configure = null)
    {
        var options = new DecodingOptions { AnalysisSampleRate = analysisRate, FfmpegPath = TestAudio.TestDecoder.FfmpegPath };
        configure?.Invoke(options);
        return await new SongDecoder(options, SampleBuffers.Shared).DecodeAsync(SongInput.FromBytes("test", bytes), CancellationToken.None);
    }

    public static async Task<SongFailureException> FailsAsync(byte[] bytes, SongErrorCode expected, Action<DecodingOptions>? configure = null)
    {
        var failure = await Assert.ThrowsExactlyAsync<SongFailureException>(async () =>
        {
            using DecodedAudio audio = await DecodeAsync(bytes, 22_050, configure);
        });
        Assert.AreEqual(expected, failure.Code, failure.Message);
        Assert.IsFalse(string.IsNullOrWhiteSpace(failure.Message));
        return failure;
    }
}
