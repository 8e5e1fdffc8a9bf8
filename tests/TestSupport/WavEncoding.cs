namespace MusicClassification.Tests.TestAudio;

/// <summary>The sample encodings <see cref="WavBytes"/> can write.</summary>
public enum WavEncoding
{
    Pcm8,
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
    Float64,
}
