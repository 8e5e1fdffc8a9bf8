using System.Net;

namespace MusicClassification.Host.Security;

/// <summary>
/// Who is calling: the API key they proved (as <c>key:</c> and the first 16 hex digits of its SHA-256, stable when keys
/// are added or reordered, and never the key itself) or, without keys, their address.
/// </summary>
internal static class ClientIdentity
{
    /// <summary>The claim that carries a proven key's id.</summary>
    public const string ClaimType = "music.client";

    /// <summary>Gets the caller's partition key for rate limits and ownership: <c>key:…</c> or <c>ip:address</c>.</summary>
    public static string Of(HttpContext context) => KeyOf(context) ?? AddressOf(context);

    /// <summary>Gets the caller's address as a partition key (<c>ip:address</c>), whatever key it sent.</summary>
    public static string AddressOf(HttpContext context) => "ip:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);

    /// <summary>Gets the proven key's id, or null when keys are off.</summary>
    public static string? KeyOf(HttpContext context) => context.User.FindFirst(ClaimType)?.Value;

    public static string KeyId(ReadOnlySpan<byte> digest) => "key:" + Convert.ToHexStringLower(digest[..8]);
}
