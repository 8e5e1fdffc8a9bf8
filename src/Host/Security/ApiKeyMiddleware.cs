using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Security;

/// <summary>
/// Checks <c>X-Api-Key</c> on every request but the health checks when keys are configured. Keys are compared as SHA-256
/// digests with a fixed-time comparison against every configured key, so neither timing nor length tells a caller how
/// close a guess was; the 401 answer is the same whether the key was missing or wrong. Failures are rate limited per
/// address (<see cref="ApiKeyOptions.FailuresPerMinutePerAddress"/>, then 429): the per-client limiter runs after this
/// check and knows only keys, so without this a wrong-key flood was never slowed.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiKeyOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.FailuresPerMinutePerAddress,
            TokensPerPeriod = options.Value.FailuresPerMinutePerAddress,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private readonly byte[][] _digests = [.. options.Value.Keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];
    private readonly string[] _ids = [.. options.Value.Keys.Select(key => ClientIdentity.KeyId(SHA256.HashData(Encoding.UTF8.GetBytes(key))))];

    public Task InvokeAsync(HttpContext context)
    {
        if (_digests.Length == 0 || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        int match = Match(context.Request.Headers[ApiKeyOptions.HeaderName].ToString());
        if (match < 0)
        {
            using RateLimitLease lease = _failures.AttemptAcquire(ClientIdentity.AddressOf(context));
            if (!lease.IsAcquired)
            {
                return HostProblems.WriteAsync(
                    context, HostProblems.RateLimited(), lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : TimeSpan.FromMinutes(1));
            }

            // RFC 9110: a 401 names the scheme the client must use.
            context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyOptions.HeaderName}\"";
            return HostProblems.WriteAsync(context, HostProblems.Unauthorized());
        }

        ClientIdentity.SetKey(context, _ids[match]);
        return next(context);
    }

    private int Match(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        int match = -1;
        for (int i = 0; i < _digests.Length; i++)
        {
            // Every key is compared, matched or not, so the time taken says nothing about which one (if any) matched.
            bool equal = CryptographicOperations.FixedTimeEquals(digest, _digests[i]);
            match = equal && match < 0 ? i : match;
        }

        return presented.Length == 0 ? -1 : match;
    }

    public void Dispose() => _failures.Dispose();
}
