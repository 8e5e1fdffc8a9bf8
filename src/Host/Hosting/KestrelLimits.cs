using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Hosting;

/// <summary>Kestrel's connection limits from the validated <see cref="HostLimitsOptions"/>, so slow or stalled clients cannot pin connections.</summary>
internal static class KestrelLimits
{
    public static IServiceCollection AddKestrelLimits(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HostLimitsOptions>>((kestrel, options) =>
        {
            HostLimitsOptions limits = options.Value;
            kestrel.AddServerHeader = false;

            // Bodies are capped per endpoint (a song, a batch) before they are read, with a problem-details answer.
            kestrel.Limits.MaxRequestBodySize = limits.MaxUploadBytes + Uploads.SingleSongUpload.EnvelopeBytes(limits);
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinUploadBytesPerSecond, limits.MinUploadGracePeriod);
        });
        return services;
    }
}
