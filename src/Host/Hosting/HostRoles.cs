using MusicClassification.Host.Analysis;
using MusicClassification.Host.Endpoints;
using MusicClassification.Host.Health;
using MusicClassification.Host.Jobs;
using MusicClassification.Host.Scaling;
using MusicClassification.Host.Transport;
using MusicClassification.Host.Workers;

namespace MusicClassification.Host.Hosting;

/// <summary>
/// What each role runs, as registrations and endpoints rather than branches: the API (uploads, jobs, their store,
/// spool, dispatcher, result collector and sweeper, their part of readiness and <c>/performance</c>) and the worker
/// (songs from the transport). <c>All</c> is both over the in-process transport; <c>Api</c> and <c>Worker</c> are one
/// each, over RabbitMQ. The job code is the same either way; only the transport differs.
/// </summary>
internal static class HostRoles
{
    public static IServiceCollection AddHostRole(this IServiceCollection services, HostRole role)
    {
        services.AddOptions<HostRoleOptions>().BindConfiguration(HostRoleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // The transport first: hosted services stop in reverse order, so the worker (its grace period) stops before the
        // collector that stores its last results, and the broker's connection after both.
        return role switch
        {
            HostRole.All => services.AddInProcessTransport().AddApiRole().AddSingleton<ISongAnalyzer, LocalSongAnalyzer>().AddWorkerRole(),
            HostRole.Api => services.AddRabbitMqTransport().AddApiRole().AddSingleton<ISongAnalyzer, RemoteSongAnalyzer>().AddSingleton<SongSources>(),
            _ => services.AddRabbitMqTransport().AddWorkerRole().AddSongFetcher(),
        };
    }

    /// <summary>Maps the role's endpoints (health, <c>/performance</c> and <c>/metrics</c> are every role's).</summary>
    public static void MapHostRole(this WebApplication app, HostRole role)
    {
        if (role == HostRole.Worker)
        {
            return;
        }

        app.MapClassify();
        app.MapJobs();
        if (role == HostRole.Api)
        {
            app.MapSongSources();
        }

        app.MapInfo();
        app.MapOpenApi();
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("OpenApi:ShowReference"))
        {
            Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app, "/docs");
        }
    }

    /// <summary>
    /// Opens the role's job store and counts its spool; a store that cannot be opened leaves the node analysing songs
    /// with jobs off (logged once, with the way out).
    /// </summary>
    public static void OpenJobs(this WebApplication app, HostRole role)
    {
        if (role == HostRole.Worker)
        {
            return;
        }

        IJobStore jobs = app.Services.GetRequiredService<IJobStore>();
        jobs.Open();
        if (jobs.Unavailable is { } why)
        {
            StartupChecks.LogJobsUnavailable(app.Logger, why);
            return;
        }

        app.Services.GetRequiredService<JobSpool>().Prepare();
    }

    private static IServiceCollection AddApiRole(this IServiceCollection services)
    {
        services.AddSingleton<JobDataFolder>();
        services.AddSingleton<IJobStore>(provider =>
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobOptions>>().Value.PostgreSql is { Length: > 0 }
                ? ActivatorUtilities.CreateInstance<PostgreSqlJobStore>(provider)
                : ActivatorUtilities.CreateInstance<SqliteJobStore>(provider));
        services.AddSingleton<JobSpool>();
        services.AddSingleton<JobResultSink>();
        services.AddSingleton<JobService>();
        services.AddSingleton<JobNeighbours>();
        services.AddSingleton<JobDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<JobDispatcher>());
        services.AddHostedService<ResultCollector>();
        services.AddHostedService<JobSweeper>();
        services.AddSingleton<Performance.JobsReport>();
        services.AddHealthChecks().AddCheck<JobStoreReadinessCheck>("jobs", tags: [PipelineReadinessCheck.Tag]);
        return services;
    }

    private static IServiceCollection AddWorkerRole(this IServiceCollection services) => services.AddHostedService<SongWorker>();

    /// <summary>Songs too large for a message are fetched over HTTP from the API node holding them; its own deadline, not HttpClient's.</summary>
    private static IServiceCollection AddSongFetcher(this IServiceCollection services)
    {
        services.AddHttpClient<SongFetcher>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }

    private static IServiceCollection AddInProcessTransport(this IServiceCollection services)
    {
        services.AddSingleton<InProcessTransport>();
        services.AddSingleton<ISongTransport>(provider => provider.GetRequiredService<InProcessTransport>());
        return services;
    }

    private static IServiceCollection AddRabbitMqTransport(this IServiceCollection services)
    {
        services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BrokerConnection>();
        services.AddHostedService(provider => provider.GetRequiredService<BrokerConnection>());
        services.AddSingleton<RabbitMqTransport>();
        services.AddSingleton<ISongTransport>(provider => provider.GetRequiredService<RabbitMqTransport>());
        services.AddSingleton<ISongRequests>(provider => provider.GetRequiredService<RabbitMqTransport>());
        services.AddHealthChecks().AddCheck<BrokerReadinessCheck>("broker", tags: [PipelineReadinessCheck.Tag]);
        return services;
    }
}
