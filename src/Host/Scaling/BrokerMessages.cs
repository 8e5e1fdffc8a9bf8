using System.Globalization;
using System.Text;
using MusicClassification.Host.Transport;
using RabbitMQ.Client;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// The messages: a song (its encoded bytes as the body, or none and the address to fetch them from with their SHA-256; job, index, id and whether the GTZAN vector is wanted as
/// headers) and a result (the stored result JSON as the body; job, index and outcome as headers). Both persistent, with
/// a message id of <c>job:index</c> so duplicates are recognisable.
/// </summary>
internal static class BrokerMessages
{
    private const string JobHeader = "job";
    private const string IndexHeader = "index";
    private const string SongHeader = "song";
    private const string FeaturesHeader = "features";
    private const string SucceededHeader = "succeeded";
    private const string PriorityHeader = "priority";
    private const string SourceHeader = "source";
    private const string Sha256Header = "sha256";

    // W3C trace context, so that a song's trace runs on through the queue (the header name is the standard one).
    private const string TraceHeader = "traceparent";

    public static BasicProperties Song(SongAddress song) => new()
    {
        Persistent = true,
        ContentType = "application/octet-stream",
        MessageId = song.CorrelationId ?? MessageId(song.JobId, song.Index),
        ReplyTo = song.ReplyTo,
        CorrelationId = song.CorrelationId,
        Headers = WithTrace(new Dictionary<string, object?>
        {
            [JobHeader] = song.JobId,
            [IndexHeader] = song.Index,
            [SongHeader] = song.SongId,
            [FeaturesHeader] = song.IncludeFeatures,
            [PriorityHeader] = song.Priority == SongPriority.Interactive ? "interactive" : "batch",
        }, song.Trace, song.Source, song.Sha256),
    };

    /// <summary>A direct song's result, for the reply queue of the node that waits for it.</summary>
    public static BasicProperties Reply(SongAddress song) => new()
    {
        Persistent = false,
        ContentType = "application/json",
        CorrelationId = song.CorrelationId,
        Headers = WithTrace(new Dictionary<string, object?> { [SucceededHeader] = song.Succeeded }, song.Trace),
    };

    public static BasicProperties Result(SongAddress song) => new()
    {
        Persistent = true,
        ContentType = "application/json",
        MessageId = MessageId(song.JobId, song.Index),
        Headers = WithTrace(new Dictionary<string, object?>
        {
            [JobHeader] = song.JobId,
            [IndexHeader] = song.Index,
            [SucceededHeader] = song.Succeeded,
        }, song.Trace),
    };

    /// <summary>Reads a song or result message's headers; null when they are missing or malformed (a foreign message).</summary>
    public static SongAddress? Address(IReadOnlyBasicProperties properties)
    {
        IDictionary<string, object?>? headers = properties.Headers;
        if (headers is null || Text(headers, JobHeader) is not { } job || Number(headers, IndexHeader) is not int index)
        {
            return null;
        }

        return new SongAddress(job, index, Text(headers, SongHeader) ?? $"song {index}",
            Flag(headers, FeaturesHeader) ?? false, Flag(headers, SucceededHeader) ?? false, Text(headers, TraceHeader),
            Text(headers, PriorityHeader) == "interactive" ? SongPriority.Interactive : SongPriority.Batch,
            properties.ReplyTo is { Length: > 0 } replyTo ? replyTo : null,
            properties.CorrelationId,
            Text(headers, SourceHeader),
            Text(headers, Sha256Header));
    }

    private static Dictionary<string, object?> WithTrace(Dictionary<string, object?> headers, string? traceparent, string? source = null, string? sha256 = null)
    {
        if (traceparent is { Length: > 0 })
        {
            headers[TraceHeader] = traceparent;
        }

        // A song sent by address: where to fetch it, and the hash that proves the fetcher was sent this message.
        if (source is not null && sha256 is not null)
        {
            headers[SourceHeader] = source;
            headers[Sha256Header] = sha256;
        }

        return headers;
    }

    private static string MessageId(string jobId, int index) => jobId + ":" + index.ToString(CultureInfo.InvariantCulture);

    // AMQP carries strings as byte arrays: the client hands them back as byte[].
    private static string? Text(IDictionary<string, object?> headers, string name) => headers.TryGetValue(name, out object? value)
        ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), string text => text, _ => null }
        : null;

    private static int? Number(IDictionary<string, object?> headers, string name) => headers.TryGetValue(name, out object? value)
        ? value switch { int i => i, long l and >= int.MinValue and <= int.MaxValue => (int)l, short s => s, byte b => b, _ => null }
        : null;

    private static bool? Flag(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out object? value) && value is bool flag ? flag : null;
}
