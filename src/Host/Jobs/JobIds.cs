using System.Security.Cryptography;

namespace MusicClassification.Host.Jobs;

/// <summary>Job ids: 128 random bits as 32 lowercase hex digits, unguessable; anything else is never looked up.</summary>
internal static class JobIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
}
