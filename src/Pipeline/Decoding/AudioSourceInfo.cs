namespace MusicClassification.Decoding;

/// <summary>What the song was before decoding: its format name, own sample rate and channel count.</summary>
internal sealed record AudioSourceInfo(string Format, int SampleRate, int Channels);
