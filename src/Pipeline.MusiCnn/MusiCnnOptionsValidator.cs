using Microsoft.Extensions.Options;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>Validates <see cref="MusiCnnOptions"/> from its DataAnnotations (source-generated), reporting every failure together.</summary>
[OptionsValidator]
internal sealed partial class MusiCnnOptionsValidator : IValidateOptions<MusiCnnOptions>
{
    internal static void ThrowIfInvalid(MusiCnnOptions options) => OptionsValidation.ThrowIfInvalid(new MusiCnnOptionsValidator(), options);
}
