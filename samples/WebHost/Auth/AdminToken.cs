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
    }

    public string Value { get; }

    public byte[] Hash { get; }

    private static void LogGenerated(ILogger logger, string token) =>
        logger.LogWarning("No Admin:Token is configured; the admin token for this run is {Token} (set Admin:Token or Admin__Token to choose one)", token);
}
