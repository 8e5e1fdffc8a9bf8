using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Transport;

/// <summary>
/// The role <c>All</c>'s transport: the API and the worker in one process. A song travels as the address of its spooled
/// file (nothing is copied; the file stays until its result is stored), songs are taken in turn from the oldest
/// <see cref="Jobs.JobOptions.MaxRunningJobs"/> jobs, and results go back through an in-memory queue. Nothing here
/// outlives the process: at start-up every song without a stored result is sent again.
/// </summary>
internal sealed class InProcessTransport(IOptions<Jobs.JobOptions> options) : ISongTransport
{
    private readonly JobRotation<(SongAddress Address, string Path)> _songs = new(options.Value.MaxRunningJobs);
    private readonly Channel<(SongAddress Address, string Json)> _results = Channel.CreateUnbounded<(SongAddress, string)>();

    public bool IsAvailable => true;

    public bool IsDurable => false;

    public TimeSpan RetryInterval => TimeSpan.FromSeconds(1);

    /// <summary>Never raised: there is no connection to lose.</summary>
    public event Func<Task>? Reconnected
    {
        add { }
        remove { }
    }

    /// <summary>Queues the song's address: its file stays until its result is stored.</summary>
    public Task<bool> SendSongAsync(SongAddress song, string path, CancellationToken cancellationToken)
    {
        _songs.Add(song.JobId, (song, path));
        return Task.FromResult(false);
    }

    public Task SendResultAsync(SongAddress song, ReadOnlyMemory<byte> resultJson, CancellationToken cancellationToken)
    {
        _results.Writer.TryWrite((song, System.Text.Encoding.UTF8.GetString(resultJson.Span)));
        return Task.CompletedTask;
    }

    public Task<ITransportConsumption> ConsumeSongsAsync(int parallelism, Func<SongDelivery, Task> handler, CancellationToken cancellationToken) =>
        Task.FromResult<ITransportConsumption>(new Consumption(parallelism, async taking =>
        {
            (SongAddress address, string path) = await _songs.TakeAsync(taking);
            await handler(new FileSong(address, path, _songs));
        }, cancellationToken));

    public Task<ITransportConsumption> ConsumeResultsAsync(Func<ResultDelivery, Task> handler, CancellationToken cancellationToken) =>
        Task.FromResult<ITransportConsumption>(new Consumption(1, async taking =>
        {
            (SongAddress address, string json) = await _results.Reader.ReadAsync(taking);
            await handler(new QueuedResult(address, json, _results.Writer));
        }, cancellationToken));

    public void Withdraw(string jobId) => _songs.Remove(jobId);

    private sealed class FileSong(SongAddress address, string path, JobRotation<(SongAddress, string)> songs) : SongDelivery(address)
    {
        // A file that is gone was lost by the service (deleted with its job, a disk error), never damaged by the client.
        public override Task<OpenedSong?> OpenAsync(CancellationToken cancellationToken) =>
            Task.FromResult(File.Exists(path) ? new OpenedSong(SongInput.FromFile(Address.SongId, path)) : null);

        public override Task AcknowledgeAsync() => Task.CompletedTask;

        public override Task HandBackAsync()
        {
            songs.Add(Address.JobId, (Address, path));
            return Task.CompletedTask;
        }
    }

    private sealed class QueuedResult(SongAddress address, string json, ChannelWriter<(SongAddress, string)> results) : ResultDelivery(address, json, attempts: 1)
    {
        public override Task AcknowledgeAsync() => Task.CompletedTask;

        public override Task HandBackAsync()
        {
            results.TryWrite((Address, Json!));
            return Task.CompletedTask;
        }
    }

    /// <summary><c>loops</c> takers, each taking the next delivery and handling it, until taking stops.</summary>
    private sealed class Consumption : ITransportConsumption
    {
        private readonly CancellationTokenSource _taking;
        private readonly Task _loops;

        public Consumption(int loops, Func<CancellationToken, Task> takeAndHandle, CancellationToken cancellationToken)
        {
            _taking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            CancellationToken taking = _taking.Token;
            _loops = Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(async () =>
            {
                try
                {
                    while (!taking.IsCancellationRequested)
                    {
                        await takeAndHandle(taking);
                    }
                }
                catch (OperationCanceledException) when (taking.IsCancellationRequested)
                {
                }
            }, CancellationToken.None)));
        }

        public Task StopTakingAsync() => _taking.CancelAsync();

        public async ValueTask DisposeAsync()
        {
            await _taking.CancelAsync();
            await _loops;
            _taking.Dispose();
        }
    }
}
