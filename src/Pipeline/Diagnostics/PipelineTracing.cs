using System.Diagnostics;

namespace MusicClassification.Diagnostics;

/// <summary>
/// The library's one <see cref="ActivitySource"/>: a span per song from its admission to its result, under whatever
/// span the caller had (an HTTP request, a job), and a span per stage under the song's. Nothing is recorded when
/// nobody listens.
/// </summary>
internal static class PipelineTracing
{
    private static readonly ActivitySource Source = new(PipelineInstruments.ActivitySourceName, typeof(PipelineTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a song's span as a child of the caller's current span, without becoming the current span itself (the next song is its sibling, not its child).</summary>
    public static Activity? StartSong(int index)
    {
        Activity? caller = Activity.Current;
        Activity? song = Source.StartActivity(PipelineInstruments.SongSpan, ActivityKind.Internal);
        Activity.Current = caller;
        song?.SetTag(PipelineInstruments.SongIndexTag, index);
        return song;
    }

    /// <summary>Starts a stage's span under its song's.</summary>
    public static Activity? StartStage(Activity? song, PipelineStage stage) =>
        song is null ? null : Source.StartActivity(Name(stage), ActivityKind.Internal, song.Context);

    /// <summary>Ends a song's span with its outcome.</summary>
    public static void EndSong(Activity? song, SongResult result)
    {
        if (song is null)
        {
            return;
        }

        song.SetTag(PipelineInstruments.StatusTag, result.Succeeded ? "succeeded" : "failed");
        if (result.Error is { } error)
        {
            song.SetTag(PipelineInstruments.ErrorCodeTag, error.Code.ToWireName());
            song.SetStatus(ActivityStatusCode.Error, error.Code.ToWireName());
        }

        song.Dispose();
    }

    /// <summary>Marks a stage's span failed with the song's code.</summary>
    public static void Failed(Activity? stage, SongError error)
    {
        stage?.SetTag(PipelineInstruments.ErrorCodeTag, error.Code.ToWireName());
        stage?.SetStatus(ActivityStatusCode.Error, error.Code.ToWireName());
    }

    private static string Name(PipelineStage stage) => stage switch
    {
        PipelineStage.Decode => "decode",
        PipelineStage.Features => "features",
        _ => "classify",
    };
}
