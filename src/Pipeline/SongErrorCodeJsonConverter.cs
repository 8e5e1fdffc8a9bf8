using System.Text.Json;
using System.Text.Json.Serialization;

namespace MusicClassification;

/// <summary>Writes <see cref="SongErrorCode"/> as its stable wire name in any serializer configuration.</summary>
internal sealed class SongErrorCodeJsonConverter : JsonConverter<SongErrorCode>
{
    public override SongErrorCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? name = reader.GetString();
        return SongErrorCodeExtensions.TryParseWireName(name, out SongErrorCode code)
            ? code
            : throw new JsonException($"Unknown song error code '{name}'.");
    }

    public override void Write(Utf8JsonWriter writer, SongErrorCode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWireName());
}
