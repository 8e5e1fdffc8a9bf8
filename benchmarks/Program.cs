using BenchmarkDotNet.Running;
using MusicClassification.Benchmarks;
using MusicClassification.Benchmarks.Macro;

#if DEBUG
Console.Error.WriteLine("Warning: benchmarks built in Debug; run with -c Release for meaningful numbers.");
#endif

// "macro [songs] [seconds]": the whole pipeline over generated songs, reporting songs/s and peak RSS.
if (args.Length > 0 && args[0] == "macro")
{
    return await MacroRun.RunAsync(args[1..]);
}

// "ortmem <models-dir>": where MusiCNN's memory goes.
if (args.Length > 0 && args[0] == "ortmem")
{
    return await OrtMemoryProbe.RunAsync(args[1..]);
}

// "ortsettings <models-dir>": ONNX Runtime threads, batch size, concurrency, arena and graph optimisation for MusiCNN, one process each.
if (args.Length > 0 && args[0] == "ortsettings")
{
    return await OrtSettingsRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ortsettings-one")
{
    return await OrtSettingsRun.RunOneAsync(args[1..]);
}

// "profiles <models-dir> [clips-dir]": CPU per song for each analysis profile, and sampled-patch agreement.
if (args.Length > 0 && args[0] == "profiles")
{
    return await ProfileRun.RunAsync(args[1..]);
}

// "decode [songs-per-format] [seconds]": our decoder against ffmpeg → null on the same files, audio s per CPU s.
if (args.Length > 0 && args[0] == "decode")
{
    return await DecodeComparison.RunAsync(args[1..]);
}

// "load [songs] [seconds] [clients]": the host as its own process, one NDJSON batch plus single-song clients at once.
if (args.Length > 0 && args[0] == "load")
{
    return await LoadRun.RunAsync(args[1..]);
}

// "tier [songs] [window-s] [cpus] [memory-MiB] [--key=value …]": the host inside a 0.5 CPU / 512 MiB cgroup, one batch of real-length songs.
if (args.Length > 0 && args[0] == "tier")
{
    return await TierRun.RunAsync(args[1..]);
}

// "subnormal [seconds]": a song of subnormal float samples against a normal one, whole pipeline.
if (args.Length > 0 && args[0] == "subnormal")
{
    return await SubnormalRun.RunAsync(args[1..]);
}

// "crash [songs] [seconds]": a durable job on a host killed twice with SIGKILL and restarted, against an uninterrupted run.
if (args.Length > 0 && args[0] == "crash")
{
    return await CrashRun.RunAsync(args[1..]);
}

// "similar [songs]": GET /jobs/{id}/similar on a job of that many short songs, the first answer and the rest.
if (args.Length > 0 && args[0] == "similar")
{
    return await SimilarRun.RunAsync(args[1..]);
}

// "scale [songs] [seconds] [1,2,3] [inline,address]": one job in process, then through RabbitMQ with 1, 2, 3 worker
// processes, songs in their messages and/or fetched by address.
if (args.Length > 0 && args[0] == "scale")
{
    return await ScaleRun.RunAsync(args[1..]);
}

// "broker [messages]": what one RabbitMQ node sustains for result-sized and song-sized messages, the host's way.
if (args.Length > 0 && args[0] == "broker")
{
    return await BrokerThroughputRun.RunAsync(args[1..]);
}

// "agreement <dir> <table.csv>": tempo and key against a reference table (Essentia's, say), MIREX-style totals.
if (args.Length > 0 && args[0] == "agreement")
{
    return await AgreementRun.RunAsync(args[1..]);
}

// "beats <file> [rate]": each of the five beat trackers' beats and tempo, the agreement and the choice, for one file.
if (args.Length > 0 && args[0] == "beats")
{
    return await BeatsRun.RunAsync(args[1..]);
}

// "pipe <dir> [rounds]": this process's CPU for reading FFmpeg's output, asynchronously or with blocking reads.
if (args.Length > 0 && args[0] == "pipe")
{
    return await PipeReadRun.RunAsync(args[1..]);
}

// "folder <dir> [1,2,4]": the library over any folder against FFmpeg's decode floor of the same windows, at each parallelism.
if (args.Length > 0 && args[0] == "folder")
{
    return await FolderBenchmark.RunAsync(args[1..]);
}

// "songs [count] [seconds]": writes the generated MP3 set the load, scale and crash runs use, and prints its folder.
if (args.Length > 0 && args[0] == "songs")
{
    string[] songs = await SongFolders.MakeMp3sAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20,
        args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 180);
    Console.WriteLine(Path.GetDirectoryName(songs[0]));
    return 0;
}

bool quick = args.Contains("--quick");
string[] rest = [.. args.Where(a => a != "--quick")];
var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(rest, BenchmarkConfig.Create(quick));
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
