using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retention.Cleanup;
using Retention.Hosting.Health;
using Retention.Hosting.Scheduling;
using Retention.Hosting.Status;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the cleanup health check.</summary>
public static class CleanupHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that is healthy after a good run, degraded when the last scheduled run failed or is more than two periods overdue,
    /// and unhealthy after <paramref name="unhealthyAfterFailures"/> failed runs in a row. Needs <c>AddJobCleanup().AddBackgroundCleanup()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default: <c>job-cleanup</c>.</param>
    /// <param name="unhealthyAfterFailures">Failed runs in a row that make the check unhealthy. Default: 3.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddJobCleanupCheck(this IHealthChecksBuilder builder, string name = "job-cleanup", int unhealthyAfterFailures = 3, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(unhealthyAfterFailures, 1);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new CleanupHealthCheck(sp.GetRequiredService<ICleanupStatus>(), sp.GetRequiredService<ScheduledCleanupService>(), sp.GetRequiredService<TimeProvider>(), unhealthyAfterFailures, sp.GetService<OutlookMonitor>()),
            failureStatus: null,
            tags));
    }
}
