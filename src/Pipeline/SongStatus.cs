using System.Text.Json;
using System.Text.Json.Serialization;

namespace MusicClassification;

/// <summary>Whether a song was analysed. Serialized as <c>succeeded</c> or <c>failed</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SongStatus>))]
public enum SongStatus
{
    /// <summary>The song was decoded and analysed; <see cref="SongResult.Audio"/> is set.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>The song could not be analysed; <see cref="SongResult.Error"/> says why.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
