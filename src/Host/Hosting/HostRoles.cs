using MusicClassification.Host.Endpoints;
using MusicClassification.Host.Health;
using MusicClassification.Host.Jobs;
using MusicClassification.Host.Scaling;

namespace MusicClassification.Host.Hosting;

/// <summary>
/// What each role runs, as registrations and endpoints rather than branches: the API (uploads, jobs, their store, spool
/// and sweeper, their part of readiness and <c>/performance</c>) and the worker (songs from the broker). <c>All</c> is
/// the API with jobs analysed in this process; <c>Api</c> hands job songs to the broker; <c>Worker</c> takes them.
/// </summary>
internal static class HostRoles
{
    public static IServiceCollection AddHostRole(this IServiceCollection services, HostRole role)
    {
        services.AddOptions<HostRoleOptions>().BindConfiguration(HostRoleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return role switch
        {
            HostRole.All => services.AddApiRole().AddInProcessJobs(),
            HostRole.Api => services.AddApiRole().AddBroker().AddBrokerJobs(),
            _ => services.AddBroker().AddWorkerRole(),
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
        services.AddSingleton<IJobStore, SqliteJobStore>();
        services.AddSingleton<JobSpool>();
        services.AddSingleton<JobResultSink>();
        services.AddSingleton<JobService>();
        services.AddHostedService<JobSweeper>();
        services.AddHealthChecks().AddCheck<JobStoreReadinessCheck>("jobs", tags: [PipelineReadinessCheck.Tag]);
        return services;
    }

    private static IServiceCollection AddInProcessJobs(this IServiceCollection services) => services.AddExecutor<JobRunner>();

    private static IServiceCollection AddBroker(this IServiceCollection services)
    {
        services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BrokerConnection>();
        services.AddHostedService(provider => provider.GetRequiredService<BrokerConnection>());
        services.AddHealthChecks().AddCheck<BrokerReadinessCheck>("broker", tags: [PipelineReadinessCheck.Tag]);
        return services;
    }

    private static IServiceCollection AddBrokerJobs(this IServiceCollection services)
    {
        services.AddExecutor<JobDispatcher>();
        services.AddHostedService<ResultCollector>();
        return services;
    }

    /// <summary>The job executor: one instance, both the endpoints' <see cref="IJobExecutor"/> and a hosted service.</summary>
    private static IServiceCollection AddExecutor<TExecutor>(this IServiceCollection services)
        where TExecutor : class, IJobExecutor, IHostedService
    {
        services.AddSingleton<TExecutor>();
        services.AddSingleton<IJobExecutor>(provider => provider.GetRequiredService<TExecutor>());
        services.AddHostedService(provider => provider.GetRequiredService<TExecutor>());
        return services;
    }

    private static IServiceCollection AddWorkerRole(this IServiceCollection services)
    {
        services.AddHostedService<SongWorker>();
        return services;
    }
}
