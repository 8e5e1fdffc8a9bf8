using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MusicClassification.Decoding;
using MusicClassification.Features;

namespace MusicClassification;

/// <summary>
/// Settings of a <see cref="MusicClassificationPipeline"/>. Validated once, when the pipeline is created (or at host
/// start); every invalid value is reported together in one <see cref="OptionsValidationException"/>.
/// </summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section the host binds: <c>Pipeline</c>.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>Gets or sets how many songs each stage (decode, features, classify) works on at once.</summary>
    /// <value>
    /// Default <see langword="null"/>: sized by the process's container (<see cref="MusicClassificationPipeline.Sizing"/>):
    /// the CPUs it may use rounded up (1 on a 0.5 CPU quota, 16 on 16 cores), fewer if the memory budget holds fewer songs;
    /// 1 to 64 when set.
    /// </value>
    [Range(1, 64)]
    public int? MaxDegreeOfParallelism { get; set; }

    /// <summary>
    /// Gets or sets how many songs one batch call may have admitted but not yet handed back (queued, in flight, or
    /// finished and waiting for the caller to read). A full batch waits (back-pressure) rather than dropping songs.
    /// </summary>
    /// <value>Default 100; 1 to 10 000.</value>
    [Range(1, 10_000)]
    public int BoundedCapacity { get; set; } = 100;

    /// <summary>
    /// Gets or sets how many decoded songs may wait between the decode and feature stages. Decoded audio is the
    /// largest thing the pipeline holds, so at most <c>MaxDegreeOfParallelism × 2 + DecodedCapacity</c> decoded songs are
    /// alive at once whatever the batch size. With parallelism 4 on 2 cores, one waiting song keeps the feature stage
    /// fed (a 300-song batch ran as fast with 1 as with 2, and 23 MiB lower).
    /// </summary>
    /// <value>Default 1; 1 to 64.</value>
    [Range(1, 64)]
    public int DecodedCapacity { get; set; } = 1;

    /// <summary>
    /// Gets or sets how much work one song may take; past it the song fails with <c>timeout</c>. Only the song's own work
    /// counts: its clock stops while it waits for a worker or for memory, and runs at the share of the CPU it gets while
    /// more songs work than the process has CPUs (so a starved half-core box does not time out healthy songs, and a
    /// hostile file is still stopped once it has had this much CPU).
    /// </summary>
    /// <value>Default 30 seconds; 10 milliseconds to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SongTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the order in which batch calls yield results.</summary>
    /// <value>Default <see cref="ResultOrder.Completion"/>.</value>
    [EnumDataType(typeof(ResultOrder))]
    public ResultOrder ResultOrder { get; set; } = ResultOrder.Completion;

    /// <summary>Gets or sets the decoding settings.</summary>
    [Required]
    [ValidateObjectMembers]
    public DecodingOptions Decoding { get; set; } = new();

    /// <summary>Gets or sets which features are computed.</summary>
    [Required]
    [ValidateObjectMembers]
    public FeatureOptions Features { get; set; } = new();

    /// <summary>
    /// Gets or sets whether results are rounded to the digits their definitions make meaningful: probabilities to 4,
    /// levels and loudness to 2 or 3, tempo to 2, spectral means to 6 (docs/design.md lists each). Turn it off for full
    /// double precision (research, comparing runs); the analysis itself is the same either way.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool RoundResults { get; set; } = true;

    /// <summary>
    /// Gets or sets the most memory, in MiB, that the pipeline's buffer pool keeps in idle sample, spectrum and feature
    /// buffers for reuse; a buffer returned past the cap is left to the garbage collector. Buffers in use are bounded by
    /// the capacities above, not by this. The default is above the steady state of 4 workers on 180 s windows
    /// (docs/benchmarks.md), so nothing is reallocated; 0 keeps nothing (every buffer is a fresh allocation).
    /// </summary>
    /// <value>
    /// Default <see langword="null"/>: a quarter of the managed heap the process may use, at most 256 (64 in a 512 MB
    /// container whose heap is capped at half of it); 0 to 65 536 when set. Ignored when <see cref="BufferPool"/> is set.
    /// </value>
    [Range(0, 65_536)]
    public int? BufferPoolLimitMegabytes { get; set; }

    /// <summary>
    /// Gets or sets a pool of your own to rent every sample buffer from (shared with the rest of an application, or
    /// instrumented), instead of the pipeline's bounded pool. It must be thread-safe and may return arrays longer than
    /// asked. Not bound from configuration.
    /// </summary>
    /// <value>Default <see langword="null"/>: a pool of <see cref="BufferPoolLimitMegabytes"/> per pipeline.</value>
    public System.Buffers.ArrayPool<float>? BufferPool { get; set; }

    /// <summary>Gets or sets which classifiers run.</summary>
    [Required]
    public ClassificationOptions Classification { get; set; } = new();

    /// <summary>
    /// A copy that later changes to this object do not reach: every setting by <see cref="object.MemberwiseClone"/>
    /// (so a new setting is copied without anyone remembering to), the nested groups copied the same way; the buffer pool
    /// is shared on purpose.
    /// </summary>
    internal PipelineOptions Copy()
    {
        var copy = (PipelineOptions)MemberwiseClone();
        copy.Decoding = Decoding?.Copy()!;
        copy.Features = Features?.Copy()!;
        copy.Classification = Classification?.Copy()!;
        return copy;
    }
}
