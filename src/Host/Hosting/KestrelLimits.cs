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
            kestrel.AddServerHeader = false;
            HostLimitsOptions limits;
            try
            {
                limits = options.Value;
            }
            catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
            {
                // Kestrel's options are made while the host is built, before StartupChecks lists every invalid setting
                // and stops the host: leave Kestrel's defaults rather than fail here with only the first.
                return;
            }


            // Bodies are capped per endpoint (a song, a batch) before they are read, with a problem-details answer.
            kestrel.Limits.MaxRequestBodySize = limits.MaxUploadBytes + Uploads.SingleSongUpload.EnvelopeBytes(limits);
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;

            // A connection that sends nothing is held no longer than one that sends its headers slowly (Kestrel's 130 s otherwise).
            kestrel.Limits.KeepAliveTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinUploadBytesPerSecond, limits.MinUploadGracePeriod);
        });
        return services;
    }
}
