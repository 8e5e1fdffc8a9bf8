using System.Net;

namespace MusicClassification.Host.Security;

/// <summary>Who is calling: the API key they proved (by its position in the configuration) or, without keys, their address.</summary>
internal static class ClientIdentity
{
    private const string ItemKey = "music.client";

    /// <summary>Gets the caller's partition key for rate limits and ownership: <c>key:N</c> or <c>ip:address</c>.</summary>
    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out object? client) && client is string id
            ? id
            : "ip:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);

    public static void SetKey(HttpContext context, int keyIndex) => context.Items[ItemKey] = "key:" + keyIndex;
}
