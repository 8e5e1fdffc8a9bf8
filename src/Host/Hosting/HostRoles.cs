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

    private static IServiceCollection AddInProcessJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobRunner>();
        services.AddSingleton<IJobExecutor>(provider => provider.GetRequiredService<JobRunner>());
        services.AddHostedService(provider => provider.GetRequiredService<JobRunner>());
        return services;
    }

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
        services.AddSingleton<JobDispatcher>();
        services.AddSingleton<IJobExecutor>(provider => provider.GetRequiredService<JobDispatcher>());
        services.AddHostedService(provider => provider.GetRequiredService<JobDispatcher>());
        services.AddHostedService<ResultCollector>();
        return services;
    }

    private static IServiceCollection AddWorkerRole(this IServiceCollection services)
    {
        services.AddHostedService<SongWorker>();
        return services;
    }
}
