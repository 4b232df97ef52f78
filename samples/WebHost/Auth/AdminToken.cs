using System.Security.Cryptography;
using System.Text;

namespace WebHost.Auth;

/// <summary>
/// The admin token: <c>Admin:Token</c> from configuration, or, when none is set, a random one made at start and written to the
/// log, so no working credential is ever committed with the sample.
/// </summary>
internal sealed class AdminToken
{
    private const int MinimumLength = 16;

    public AdminToken(IConfiguration configuration, ILogger<AdminToken> logger)
    {
        var configured = configuration["Admin:Token"];
        if (string.IsNullOrEmpty(configured))
        {
            Value = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            LogGenerated(logger, Value);
        }
        else if (configured.Length < MinimumLength)
        {
            throw new InvalidOperationException($"Admin:Token must be at least {MinimumLength} characters; leave it unset to have one made at start.");
        }
        else
        {
            Value = configured;
        }

        Hash = SHA256.HashData(Encoding.UTF8.GetBytes(Value));

        // An optional second token that may look at the dashboard but not act (role viewer).
        var viewer = configuration["Admin:ViewerToken"];
        if (!string.IsNullOrEmpty(viewer) && viewer.Length < MinimumLength)
        {
            throw new InvalidOperationException($"Admin:ViewerToken must be at least {MinimumLength} characters, or unset.");
        }

        ViewerHash = string.IsNullOrEmpty(viewer) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(viewer));
    }

    public string Value { get; }

    public byte[] Hash { get; }

    public byte[]? ViewerHash { get; }

    /// <summary>The user a token signs in as: the admin, the viewer, or nobody. Hashes compared in constant time.</summary>
    public System.Security.Claims.ClaimsPrincipal? SignIn(string given, string scheme)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(given.Trim()));
        var role = CryptographicOperations.FixedTimeEquals(hash, Hash) ? "admin"
            : ViewerHash is not null && CryptographicOperations.FixedTimeEquals(hash, ViewerHash) ? "viewer"
            : null;
        return role is null
            ? null
            : new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, role), new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, role)], scheme));
    }

    private static void LogGenerated(ILogger logger, string token) =>
        logger.LogWarning("No Admin:Token is configured; the admin token for this run is {Token} (set Admin:Token or Admin__Token to choose one)", token);
}
