using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Security;

/// <summary>
/// ASP.NET Core authentication by <c>X-Api-Key</c>: a proven key becomes the caller's identity (its id as the
/// <see cref="ClientIdentity.ClaimType"/> claim, for ownership and rate limits). The challenge is a 401 problem with
/// <c>WWW-Authenticate</c>, the same whether the key was missing or wrong, or 429 once the address has spent its failures.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!keys.Enabled || !Request.Headers.TryGetValue(ApiKeyOptions.HeaderName, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Match(presented.ToString()) is not { } id)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not one of the configured keys."));
        }

        var identity = new ClaimsIdentity([new Claim(ClientIdentity.ClaimType, id)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!keys.TryFail(ClientIdentity.AddressOf(Context), out TimeSpan retryAfter))
        {
            return HostProblems.WriteAsync(Context, HostProblems.RateLimited(), retryAfter);
        }

        // RFC 9110: a 401 names the scheme the client must use.
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{ApiKeyOptions.HeaderName}\"";
        return HostProblems.WriteAsync(Context, HostProblems.Unauthorized());
    }
}
