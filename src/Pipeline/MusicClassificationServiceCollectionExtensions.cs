using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Declared in the DI namespace so that the registration is found without an extra using, as the platform's own are.
namespace MusicClassification;

/// <summary>Registers a shared <see cref="MusicClassificationPipeline"/> with dependency injection.</summary>
public static class MusicClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers one shared <see cref="MusicClassificationPipeline"/> singleton built from <see cref="PipelineOptions"/>
    /// (configured by <paramref name="configure"/> and anything else bound to the options, such as a configuration
    /// section). The options are validated when the host starts, listing every invalid value. Every
    /// <see cref="Classification.ISongClassifier"/> registered in the container (such as MusiCNN's, added by
    /// <c>AddMusiCnn</c> from the <c>MusicClassification.Pipeline.MusiCnn</c> package) runs after the built-in genre model;
    /// the container owns and disposes them.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code; optional.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddMusicClassification(this IServiceCollection services, Action<PipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<PipelineOptions> options = services.AddOptions<PipelineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        services.TryAddSingleton(static provider => MusicClassificationPipeline.Create(
            provider.GetRequiredService<IOptions<PipelineOptions>>().Value,
            provider.GetServices<Classification.ISongClassifier>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        return services;
    }
}
