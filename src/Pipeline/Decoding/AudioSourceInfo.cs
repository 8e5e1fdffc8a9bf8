using MusicClassification.Dsp.Loudness;
namespace MusicClassification.Decoding;

/// <summary>What the song was before decoding and which part of it was kept.</summary>
/// <param name="Format">Container and encoding, such as <c>wav/pcm16</c> or <c>mp3</c>.</param>
/// <param name="SampleRate">The song's own sample rate.</param>
/// <param name="Channels">The song's own channel count.</param>
/// <param name="DurationSeconds">The song's full length, when its container declared it or it was read to the end.</param>
/// <param name="WindowStartSeconds">Where the analysed window starts in the song.</param>
/// <param name="Loudness">EBU R128 measurements of the analysed window, on all channels at the song's own rate.</param>
internal sealed record AudioSourceInfo(
    string Format, int SampleRate, int Channels, double? DurationSeconds, double WindowStartSeconds, Dsp.Loudness.LoudnessResult Loudness);
