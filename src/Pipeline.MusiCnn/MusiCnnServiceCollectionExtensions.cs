using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MusicClassification.Classification;
using MusicClassification.Classification.MusiCnn;

namespace MusicClassification;

/// <summary>Adds the MusiCNN backend to the pipeline registered by <c>AddMusicClassification</c>.</summary>
public static class MusiCnnServiceCollectionExtensions
{
    /// <summary>Adds MusiCNN tags, moods and danceability from the models in <paramref name="modelsPath"/>.</summary>
    /// <param name="services">The service collection (usually what <c>AddMusicClassification</c> returned).</param>
    /// <param name="modelsPath">The models folder.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddMusiCnn(this IServiceCollection services, string modelsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelsPath);
        return services.AddMusiCnn(options => options.ModelsPath = modelsPath);
    }

    /// <summary>
    /// Adds MusiCNN tags, moods and danceability, configured by <paramref name="configure"/> and anything else bound to
    /// <see cref="MusiCnnOptions"/> (such as a configuration section). The options are validated and the models loaded
    /// when the host starts; the container disposes the ONNX Runtime sessions.
    /// </summary>
    /// <param name="services">The service collection (usually what <c>AddMusicClassification</c> returned).</param>
    /// <param name="configure">Sets options in code (binding a configuration section as well is fine).</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddMusiCnn(this IServiceCollection services, Action<MusiCnnOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MusiCnnOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MusiCnnOptions>, MusiCnnOptionsValidator>());
        if (!services.Any(d => d.ServiceType == typeof(MusiCnnClassifier)))
        {
            services.AddSingleton(static provider => MusiCnnClassifier.Load(provider.GetRequiredService<IOptions<MusiCnnOptions>>().Value));
            services.AddSingleton<ISongClassifier>(static provider => provider.GetRequiredService<MusiCnnClassifier>());
        }

        return services;
    }
}
