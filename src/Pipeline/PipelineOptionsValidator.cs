using Microsoft.Extensions.Options;

namespace MusicClassification;

/// <summary>Validates the whole <see cref="PipelineOptions"/> tree (generated from its DataAnnotations), reporting every failure together.</summary>
[OptionsValidator]
internal sealed partial class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    internal static void ThrowIfInvalid(PipelineOptions options) => OptionsValidation.ThrowIfInvalid(new PipelineOptionsValidator(), options);
}
