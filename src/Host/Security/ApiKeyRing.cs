using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Security;

/// <summary>
/// The configured API keys, held as SHA-256 digests and compared in fixed time against every one of them, so neither
/// timing nor length tells a caller how close a guess was; and the per-address budget of failed attempts
/// (<see cref="ApiKeyOptions.FailuresPerMinutePerAddress"/>): the per-client limiter knows only proven keys, so without
/// it a wrong-key flood would never be slowed.
/// </summary>
internal sealed class ApiKeyRing : IDisposable
{
    private readonly byte[][] _digests;
    private readonly string[] _ids;
    private readonly PartitionedRateLimiter<string> _failures;

    public ApiKeyRing(IOptions<ApiKeyOptions> options)
    {
        _digests = [.. options.Value.Keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];
        _ids = [.. _digests.Select(digest => ClientIdentity.KeyId(digest))];
        int failures = options.Value.FailuresPerMinutePerAddress;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = failures,
            TokensPerPeriod = failures,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Gets a value indicating whether keys are required at all.</summary>
    public bool Enabled => _digests.Length > 0;

    /// <summary>The id (<c>key:</c> and 16 hex digits) of the key presented, or null when it is none of them.</summary>
    public string? Match(string presented)
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

        return presented.Length == 0 || match < 0 ? null : _ids[match];
    }

    /// <summary>Counts one failed attempt from <paramref name="address"/>; false (with the wait) once its budget is spent.</summary>
    public bool TryFail(string address, out TimeSpan retryAfter)
    {
        using RateLimitLease lease = _failures.AttemptAcquire(address);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _failures.Dispose();
}
