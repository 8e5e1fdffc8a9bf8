using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Host.Security;

/// <summary>Optional API keys, bound from the <c>ApiKeys</c> section. With none configured the service is open.</summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>ApiKeys</c>.</summary>
    public const string SectionName = "ApiKeys";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>
    /// Gets or sets the accepted keys (each at least 16 characters). When any is set, every endpoint but the health
    /// checks (and the workers' song fetches, guarded by the song's SHA-256) needs one in <c>X-Api-Key</c>, and rate
    /// limits count per key. Default: none.
    /// </summary>
    public IList<string> Keys { get; set; } = [];

    /// <summary>
    /// Gets or sets how many requests with a missing or wrong key one address may make per minute; past it the answer is
    /// 429 <c>rate_limited</c> with <c>Retry-After</c> instead of 401 (guessing keys costs time). Default 30.
    /// </summary>
    [Range(1, 100_000)]
    public int FailuresPerMinutePerAddress { get; set; } = 30;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (int i = 0; i < Keys.Count; i++)
        {
            if (Keys[i] is not { Length: >= 16 } key || key.Any(char.IsWhiteSpace))
            {
                yield return new ValidationResult($"ApiKeys:Keys:{i} must be at least 16 characters without spaces.", [nameof(Keys)]);
            }
        }
    }
}
