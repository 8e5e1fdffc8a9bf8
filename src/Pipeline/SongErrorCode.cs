using System.Text.Json.Serialization;

namespace MusicClassification;

/// <summary>Why a song could not be classified. Each value has a stable snake_case wire name (see <see cref="SongErrorCodeExtensions.ToWireName"/>).</summary>
[JsonConverter(typeof(SongErrorCodeJsonConverter))]
public enum SongErrorCode
{
    /// <summary>An unexpected failure inside the library (<c>internal_error</c>); the message says what failed.</summary>
    Internal = 0,

    /// <summary>The bytes are not a format the pipeline can decode (<c>unsupported_format</c>).</summary>
    UnsupportedFormat,

    /// <summary>The bytes claim a supported format but are damaged, truncated or inconsistent (<c>corrupt_audio</c>).</summary>
    CorruptAudio,

    /// <summary>The song is longer than the configured maximum duration or input size (<c>too_long</c>).</summary>
    TooLong,

    /// <summary>The song did not finish within the per-song timeout (<c>timeout</c>).</summary>
    Timeout,

    /// <summary>The caller cancelled the batch or the pipeline was disposed before the song finished (<c>cancelled</c>).</summary>
    Cancelled,

    /// <summary>The song needs an external decoder (FFmpeg) that is not installed or not configured (<c>decoder_missing</c>).</summary>
    DecoderMissing,

    /// <summary>A model could not be run on the song (<c>model_error</c>).</summary>
    ModelError,

    /// <summary>The song has no usable audio (empty or shorter than the analysis needs) (<c>empty_audio</c>).</summary>
    EmptyAudio,

    /// <summary>
    /// The song was refused before analysis by a limit of the service that received it, such as the number of songs in
    /// one batch (<c>rejected</c>); the library itself never produces it.
    /// </summary>
    Rejected,

    /// <summary>
    /// The song needed more memory than the instance has, even when analysed alone (<c>insufficient_memory</c>): a
    /// shorter analysis window or a larger instance would take it. Songs that merely wait for memory never get it.
    /// </summary>
    InsufficientMemory,
}
