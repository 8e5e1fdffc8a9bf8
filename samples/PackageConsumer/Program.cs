// Classifies a generated 5 s song through the packed libraries, registered the way an app registers them, and prints
// its result; exits 0 only when it succeeded (with MusiCNN tags when MC_MODELS names a models folder).
// Run by scripts/test.sh after packing: dotnet run --project samples/PackageConsumer -p:PipelinePackageVersion=<version>
using System.Buffers.Binary;
using Microsoft.Extensions.DependencyInjection;
using MusicClassification;
using MusicClassification.Classification;

const int Rate = 22_050;
string? models = Environment.GetEnvironmentVariable("MC_MODELS");
var services = new ServiceCollection().AddMusicClassification(options => options.MaxDegreeOfParallelism = 2);
if (models is { Length: > 0 })
{
    services.AddMusiCnn(models);
}

await using ServiceProvider provider = services.BuildServiceProvider();
MusicClassificationPipeline pipeline = provider.GetRequiredService<MusicClassificationPipeline>();
byte[] wav = SineWav(440, seconds: 5, Rate);
SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("a440.wav", wav));
Console.WriteLine(result.Succeeded
    ? $"{typeof(MusicClassificationPipeline).Assembly.GetName().Name} {typeof(MusicClassificationPipeline).Assembly.GetName().Version}: " +
      $"{result.Id} {result.Audio.DurationSeconds:0.0} s, genre {result.Genre}, key {result.Audio.Key} {result.Audio.Mode}, {result.Audio.LoudnessLufs:0.0} LUFS, " +
      $"top tag {result.Tags?[0].Label ?? "(no models)"}, models {string.Join(", ", result.Models ?? [])}"
    : $"{result.Id} failed: {result.Error.Code.ToWireName()} {result.Error.Message}");
bool complete = result.Succeeded && Math.Abs(result.Audio.DurationSeconds!.Value - 5) < 1e-6 && result.Genres is { Count: 10 };

// A classifier of the app's own fails a song with a code of its choosing: SongFailureException is public.
await using (MusicClassificationPipeline picky = MusicClassificationPipeline.Create(new PipelineOptions(), [new RefusesEverything()]))
{
    SongResult refused = await picky.ClassifyAsync(SongInput.FromBytes("a440.wav", wav));
    Console.WriteLine($"A classifier of our own: {refused.Error?.Code.ToWireName()} \"{refused.Error?.Message}\"");
    complete &= refused.Error is { Code: SongErrorCode.ModelError, Message: RefusesEverything.Reason };
}

return complete && (models is not { Length: > 0 } || result.Tags is { Count: 50 }) ? 0 : 1;

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

/// <summary>A third-party classifier that turns every song down with <c>model_error</c>.</summary>
internal sealed class RefusesEverything : ISongClassifier
{
    public const string Reason = "This model takes no songs today.";

    public IReadOnlyList<ModelDescription> Models { get; } = [new("refuser", "1", "x", ["x"], ["none"], "MIT", "PackageConsumer", null)];

    public ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, CancellationToken cancellationToken) =>
        throw new SongFailureException(SongErrorCode.ModelError, Reason);
}
