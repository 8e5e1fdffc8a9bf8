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

    /// <summary>Ends a song's span with its outcome: succeeded, or failed with <paramref name="failure"/>.</summary>
    public static void EndSong(Activity? song, SongErrorCode? failure)
    {
        if (song is null)
        {
            return;
        }

        song.SetTag(PipelineInstruments.StatusTag, failure is null ? "succeeded" : "failed");
        Failed(song, failure);
        song.Dispose();
    }

    /// <summary>Marks a span failed with the song's code (nothing when there is none).</summary>
    public static void Failed(Activity? span, SongErrorCode? failure)
    {
        if (span is not null && failure is { } code)
        {
            span.SetTag(PipelineInstruments.ErrorCodeTag, code.ToWireName());
            span.SetStatus(ActivityStatusCode.Error, code.ToWireName());
        }
    }

    private static string Name(PipelineStage stage) => stage switch
    {
        PipelineStage.Decode => "decode",
        PipelineStage.Features => "features",
        _ => "classify",
    };
}
