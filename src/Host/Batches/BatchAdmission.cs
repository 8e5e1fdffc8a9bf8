using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Batches;

/// <summary>
/// Admits batches up to <see cref="HostLimitsOptions.MaxConcurrentBatches"/> on this host (503 past it) and
/// <see cref="HostLimitsOptions.MaxConcurrentBatchesPerClient"/> per client (429 past it), before any upload is read.
/// </summary>
internal sealed class BatchAdmission(IOptions<HostLimitsOptions> options)
{
    private readonly HostLimitsOptions _limits = options.Value;
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _open;

    /// <summary>Gets how many batches are running now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Admits a batch for <paramref name="client"/>, or says why not.</summary>
    public bool TryEnter(string client, out IDisposable? lease, out ProblemDetails? refusal)
    {
        lock (_gate)
        {
            _perClient.TryGetValue(client, out int mine);
            if (mine >= _limits.MaxConcurrentBatchesPerClient)
            {
                (lease, refusal) = (null, HostProblems.TooManyBatches(_limits.MaxConcurrentBatchesPerClient));
                return false;
            }

            if (_open >= _limits.MaxConcurrentBatches)
            {
                (lease, refusal) = (null, HostProblems.ServerBusy($"{_limits.MaxConcurrentBatches} concurrent batches"));
                return false;
            }

            _perClient[client] = mine + 1;
            _open++;
        }

        (lease, refusal) = (new Lease(this, client), null);
        return true;
    }

    private void Leave(string client)
    {
        lock (_gate)
        {
            _open--;
            if (--_perClient[client] == 0)
            {
                _perClient.Remove(client);
            }
        }
    }

    private sealed class Lease(BatchAdmission admission, string client) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                admission.Leave(client);
            }
        }
    }
}
