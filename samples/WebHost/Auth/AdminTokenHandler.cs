using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WebHost.Auth;

/// <summary>
/// The seed's "admin only", as the smallest real scheme: <c>Authorization: Bearer {token}</c> with the admin token signs in as
/// <c>admin</c> with the role <c>admin</c> (with <c>Admin:ViewerToken</c>, as <c>viewer</c> with the role <c>viewer</c>);
/// any other token is refused (401).
/// </summary>
internal sealed class AdminTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminToken token)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(token.SignIn(header["Bearer ".Length..], SchemeName) is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName))
            : AuthenticateResult.Fail("The bearer token is not the admin token."));
    }
}
