using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Retention.Hosting;

/// <summary>Keeps background work off in the <c>Testing</c> environment unless the options ask for it, so integration tests stay in control.</summary>
internal static class HostEnvironmentGate
{
    public const string TestingEnvironment = "Testing";

    public static bool IsSuppressed(IHostEnvironment? environment, BackgroundCleanupOptions options, ILogger logger)
    {
        if (environment is null || !environment.IsEnvironment(TestingEnvironment) || options.RunInTesting)
        {
            return false;
        }

        HostingLog.SuppressedInEnvironment(logger, environment.EnvironmentName);
        return true;
    }
}
