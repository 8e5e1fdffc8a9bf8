using Microsoft.Extensions.Options;

namespace MusicClassification;

/// <summary>Runs a generated options validator outside dependency injection, throwing one exception that lists every failure.</summary>
internal static class OptionsValidation
{
    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options)
        where TOptions : class
    {
        ValidateOptionsResult result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }
    }
}
