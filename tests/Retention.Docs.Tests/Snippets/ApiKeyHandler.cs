using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Retention.Docs.Snippets;

// docs/http-api.md: an API key. ApiKeyRecipeTests runs it on Kestrel.
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var given))
        {
            return Task.FromResult(AuthenticateResult.NoResult());   // no key: the policy answers 401
        }

        var expected = configuration["CleanupApi:Key"];
        if (string.IsNullOrEmpty(expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("CleanupApi:Key is not configured."));
        }

        // Compares hashes of equal length, in constant time: the time taken says nothing about how much of the key matched.
        var match = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given.ToString())),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        if (!match)
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key"), new Claim(ClaimTypes.Role, "admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
