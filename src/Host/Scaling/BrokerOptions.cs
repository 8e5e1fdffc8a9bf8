using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// Where the RabbitMQ broker is and how songs travel through it, bound from the <c>Broker</c> section; used by the
/// <c>Api</c> and <c>Worker</c> roles and validated at their start-up.
/// </summary>
public sealed class BrokerOptions
{
    /// <summary>The configuration section: <c>Broker</c>.</summary>
    public const string SectionName = "Broker";

    /// <summary>Gets or sets the broker's host name. Default <c>localhost</c>.</summary>
    [Required]
    public string HostName { get; set; } = "localhost";

    /// <summary>Gets or sets the AMQP port. Default 5672.</summary>
    [Range(1, 65_535)]
    public int Port { get; set; } = 5672;

    /// <summary>Gets or sets the user name. Default <c>guest</c> (which RabbitMQ admits only from its own machine).</summary>
    [Required]
    public string UserName { get; set; } = "guest";

    /// <summary>Gets or sets the password. Default <c>guest</c>; set a real one through the environment (<c>Broker__Password</c>).</summary>
    [Required]
    public string Password { get; set; } = "guest";

    /// <summary>Gets or sets the virtual host. Default <c>/</c>.</summary>
    [Required]
    public string VirtualHost { get; set; } = "/";

    /// <summary>Gets or sets the durable quorum queue of songs to analyse. Default <c>music.songs</c>.</summary>
    [Required]
    public string SongQueue { get; set; } = "music.songs";

    /// <summary>Gets or sets the durable quorum queue of results for the API nodes. Default <c>music.results</c>.</summary>
    [Required]
    public string ResultQueue { get; set; } = "music.results";

    /// <summary>
    /// Gets or sets the durable quorum queue of songs sent to <c>/classify</c> and <c>/classify/batch</c> on an API node,
    /// apart from job songs so that a song someone waits for is not queued behind a large job. Default <c>music.songs.direct</c>.
    /// </summary>
    [Required]
    public string DirectQueue { get; set; } = "music.songs.direct";

    /// <summary>
    /// Gets or sets how long an API node waits for a worker's answer to a direct song before it answers the client with
    /// <c>internal_error</c> itself (no worker finished it: all of them stopped or crashed on it, or none runs). Default 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the queue a song goes to after <see cref="DeliveryLimit"/> failed deliveries (a song that takes down
    /// every worker that tries it); the API gives it an <c>internal_error</c> result. Default <c>music.songs.dead</c>.
    /// </summary>
    [Required]
    public string DeadLetterQueue { get; set; } = "music.songs.dead";

    /// <summary>
    /// Gets or sets the largest song whose bytes ride in its message. RabbitMQ holds a message body in memory while it
    /// routes it and writes it to every quorum replica: 15 MiB (a 10-minute 192 kb/s MP3 is 14 MiB) keeps a node's memory
    /// predictable under a broker <c>max_message_size</c> of 16 MiB. A larger song (most FLAC files) stays on the API node
    /// that spooled it and its message carries only its address and SHA-256; the worker fetches it from there
    /// (docs/scale-out.md). Set it to the 64 KiB minimum to send almost every song by address.
    /// </summary>
    /// <value>Default 15 MiB; 64 KiB to 128 MiB.</value>
    [Range(64 * 1024, 128 * 1024 * 1024)]
    public int MaxSongBytes { get; set; } = 15 * 1024 * 1024;

    /// <summary>
    /// Gets or sets how long a worker keeps trying to fetch a song sent by address from an API node that does not answer
    /// (restarting, say) before it hands the song back to the queue (where it counts as a failed delivery). Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FetchPatience { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets how many times a song may be handed to a worker that then died or gave it back before it is
    /// dead-lettered (the quorum queue's <c>x-delivery-limit</c>). Default 3.
    /// </summary>
    [Range(1, 100)]
    public int DeliveryLimit { get; set; } = 3;

    /// <summary>Gets or sets the pause between attempts to reach the broker (first connection and automatic recovery). Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long a publish may wait for the broker's confirmation. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
