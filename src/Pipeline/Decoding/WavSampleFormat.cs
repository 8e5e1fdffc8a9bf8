namespace MusicClassification.Decoding;

/// <summary>The sample encodings the managed WAV decoder reads.</summary>
internal enum WavSampleFormat
{
    UInt8,
    Int16,
    Int24,
    Int32,
    Float32,
    Float64,
}
