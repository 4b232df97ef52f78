using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retention.Hosting.Diagnostics;

namespace Retention.Hosting.Scheduling;

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

    /// <summary>
    /// Whether a piece of background work runs: it is enabled, not suppressed in this environment, and the store has the
    /// capability it needs (<paramref name="capability"/> is the resolved store, or null). Each "no" is logged once, here.
    /// </summary>
    public static bool ShouldRun<TCapability>(bool enabled, TCapability? capability, string work, IHostEnvironment? environment, BackgroundCleanupOptions options, ILogger logger)
        where TCapability : class
    {
        if (!enabled || IsSuppressed(environment, options, logger))
        {
            return false;
        }

        if (capability is null)
        {
            HostingLog.CapabilityMissing(logger, "registered store", typeof(TCapability).Name, work);
            return false;
        }

        return true;
    }
}
