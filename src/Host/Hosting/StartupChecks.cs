using Microsoft.Extensions.Options;
using MusicClassification.Classification.MusiCnn;
using MusicClassification.Host.Jobs;
using MusicClassification.Host.Scaling;
using MusicClassification.Host.Security;

namespace MusicClassification.Host.Hosting;

/// <summary>
/// Reads every options group the host uses before anything starts, so a bad configuration is one message that lists
/// every invalid setting (values out of range and values that do not convert, such as <c>--Pipeline:SongTimeout=abc</c>)
/// and exit code 1, never an unhandled exception with a stack trace.
/// </summary>
internal static partial class StartupChecks
{
    /// <summary>Every invalid setting, one line each; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> InvalidSettings(IServiceProvider services, IConfiguration configuration)
    {
        var problems = new List<string>();
        Check<HostRoleOptions>(services, problems);
        Check<HostLimitsOptions>(services, problems);
        Check<JobOptions>(services, problems);
        Check<ApiKeyOptions>(services, problems);
        Check<PipelineOptions>(services, problems);
        if (RoleOf(configuration) is not HostRole.All)
        {
            Check<BrokerOptions>(services, problems);
        }

        if (services.GetService<IOptions<MusiCnnOptions>>() is not null && configuration[$"{MusiCnnOptions.SectionName}:{nameof(MusiCnnOptions.ModelsPath)}"] is { Length: > 0 })
        {
            Check<MusiCnnOptions>(services, problems);
        }

        return problems;
    }

    /// <summary>The configured role; <see cref="HostRole.All"/> when the value is missing or invalid (the check above reports it).</summary>
    public static HostRole RoleOf(IConfiguration configuration) =>
        Enum.TryParse(configuration[$"{HostRoleOptions.SectionName}:{nameof(HostRoleOptions.Role)}"], ignoreCase: true, out HostRole role) && Enum.IsDefined(role)
            ? role
            : HostRole.All;

    /// <summary>Says why the service cannot start (standard error and the log, no stack trace) and returns exit code 1.</summary>
    public static int Refuse(ILogger logger, IReadOnlyList<string> problems)
    {
        string text = "The service cannot start:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p))
            + Environment.NewLine + "Fix what is listed and start again (settings: appsettings.json, --Section:Key=value or Section__Key; README lists them).";
        Console.Error.WriteLine(text);
        LogCannotStart(logger, text);
        return 1;
    }

    /// <summary>Says once, at start-up, why jobs are off while the rest of the service runs.</summary>
    public static void LogJobsUnavailable(ILogger logger, string why) => LogJobsOff(logger, why);

    private static void Check<TOptions>(IServiceProvider services, List<string> problems)
        where TOptions : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (OptionsValidationException invalid)
        {
            problems.AddRange(invalid.Failures.Select(f => $"{typeof(TOptions).Name}: {f}"));
        }
        catch (InvalidOperationException unconvertible) when (unconvertible.Message.StartsWith("Failed to convert", StringComparison.Ordinal))
        {
            problems.Add(unconvertible.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Critical, "{Reasons}")]
    private static partial void LogCannotStart(ILogger logger, string reasons);

    [LoggerMessage(2, LogLevel.Error, "Jobs are unavailable (/jobs answers 503 jobs_unavailable; /classify and /classify/batch keep working): {Why}")]
    private static partial void LogJobsOff(ILogger logger, string why);
}
