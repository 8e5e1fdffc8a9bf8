using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MusicClassification.Classification.Genre;

/// <summary>
/// Stores a large float array as base64 of its little-endian IEEE 754 bytes: exact, and a third of the size of decimal
/// JSON numbers (the networks' weights and the kernel machine's centres and coefficients are about 100 000 values).
/// </summary>
internal sealed class Float32Base64Converter : JsonConverter<float[]>
{
    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        byte[] bytes = reader.GetBytesFromBase64();
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new JsonException($"A base64 float array has {bytes.Length} bytes, not a multiple of 4.");
        }

        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return values;
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        var bytes = new byte[value.Length * sizeof(float)];
        for (int i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), value[i]);
        }

        writer.WriteBase64StringValue(bytes);
    }
}
