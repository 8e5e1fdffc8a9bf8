// Classifies a generated 5 s song through the packed library and prints its result; exits 0 only when it succeeded.
// Run by scripts/test.sh after packing: dotnet run --project samples/PackageConsumer -p:PipelinePackageVersion=<version>
using System.Buffers.Binary;
using MusicClassification;

const int Rate = 22_050;
byte[] wav = SineWav(440, seconds: 5, Rate);
await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("a440.wav", wav));
Console.WriteLine(result.Succeeded
    ? $"{typeof(MusicClassificationPipeline).Assembly.GetName().Name} {typeof(MusicClassificationPipeline).Assembly.GetName().Version}: " +
      $"{result.Id} {result.Audio.DurationSeconds:0.0} s, genre {result.Genre}, key {result.Audio.Key} {result.Audio.Mode}, {result.Audio.LoudnessLufs:0.0} LUFS"
    : $"{result.Id} failed: {result.Error.Code.ToWireName()} {result.Error.Message}");
return result.Succeeded && Math.Abs(result.Audio.DurationSeconds!.Value - 5) < 1e-6 ? 0 : 1;

static byte[] SineWav(double frequency, double seconds, int rate)
{
    int samples = (int)(seconds * rate);
    byte[] bytes = new byte[44 + (samples * 2)];
    "RIFF"u8.CopyTo(bytes);
    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
    "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 1);
    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), 1);
    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), rate);
    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), rate * 2);
    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), 2);
    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 16);
    "data"u8.CopyTo(bytes.AsSpan(36));
    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), samples * 2);
    for (int i = 0; i < samples; i++)
    {
        short value = (short)Math.Round(0.5 * short.MaxValue * Math.Sin(2 * Math.PI * frequency * i / rate));
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(44 + (i * 2)), value);
    }

    return bytes;
}
