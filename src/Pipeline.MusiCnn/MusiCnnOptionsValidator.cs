using Microsoft.Extensions.Options;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>Validates <see cref="MusiCnnOptions"/> from its DataAnnotations (source-generated), reporting every failure together.</summary>
[OptionsValidator]
internal sealed partial class MusiCnnOptionsValidator : IValidateOptions<MusiCnnOptions>
{
    internal static void ThrowIfInvalid(MusiCnnOptions options)
    {
        ValidateOptionsResult result = new MusiCnnOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MusiCnnOptions), result.Failures);
        }
    }
}
