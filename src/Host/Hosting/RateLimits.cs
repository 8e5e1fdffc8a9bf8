using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Endpoints;
using MusicClassification.Host.Problems;
using MusicClassification.Host.Security;

namespace MusicClassification.Host.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter: a token bucket per client (API key, or address without keys) over every endpoint but the
/// health checks (429 <c>rate_limited</c>), and a cap on single-song requests in progress (503 <c>server_busy</c>).
/// Both answer with problem details and <c>Retry-After</c>. Batches are admitted by <see cref="Batches.BatchAdmission"/>.
/// </summary>
internal static class RateLimits
{
    public static IServiceCollection AddHostRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HostLimitsOptions>>((limiter, options) =>
        {
            HostLimitsOptions limits = options.Value;
            // The health checks opt out on their route group (DisableRateLimiting also lifts this global limiter).
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(ClientIdentity.Of(context), _ => PerClient(limits)));
            limiter.OnRejected = (rejected, _) => new ValueTask(HostProblems.WriteAsync(
                rejected.HttpContext,
                HostProblems.RateLimited(),
                rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : TimeSpan.FromSeconds(1)));
            limiter.AddPolicy(ClassifyEndpoints.SongConcurrencyPolicy, new SongConcurrencyPolicy(limits));
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions PerClient(HostLimitsOptions limits) => new()
    {
        TokenLimit = limits.RequestsPerMinutePerClient,
        TokensPerPeriod = Math.Max(1, limits.RequestsPerMinutePerClient / 60),
        ReplenishmentPeriod = TimeSpan.FromSeconds(limits.RequestsPerMinutePerClient >= 60 ? 1 : 60.0 / limits.RequestsPerMinutePerClient),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>One concurrency limiter shared by every single-song request on this host; no queue, so a full host answers at once.</summary>
    private sealed class SongConcurrencyPolicy(HostLimitsOptions limits) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (rejected, _) => new ValueTask(HostProblems.WriteAsync(
            rejected.HttpContext, HostProblems.ServerBusy($"{limits.MaxConcurrentSongRequests} songs in progress"), TimeSpan.FromSeconds(limits.BusyRetryAfterSeconds)));

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
            RateLimitPartition.GetConcurrencyLimiter("songs", _ => new ConcurrencyLimiterOptions { PermitLimit = limits.MaxConcurrentSongRequests, QueueLimit = 0 });
    }
}
