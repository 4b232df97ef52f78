using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Hosting.Diagnostics;
using Retention.Hosting.Scheduling;
using Retention.Reaping;
using Retention.Stores;

namespace Retention.Hosting.Reaping;

/// <summary>The stale-job reaper in the background: fails jobs stuck past the execution timeout plus the buffer, at start and then every interval.</summary>
internal sealed class StaleJobReaperService(
    IServiceProvider services,
    IOptions<BackgroundCleanupOptions> options,
    TimeProvider time,
    ILogger<StaleJobReaperService> logger,
    IHostEnvironment? environment = null,
    IStaleJobStore? store = null) : BackgroundLoop(time, logger, options.Value.ClockCheckInterval)
{
    protected override string Work => "Stale-job check";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var reaperOptions = options.Value.Reaper;
        if (!HostEnvironmentGate.ShouldRun(reaperOptions.Enabled, store, "the stale-job reaper", environment, options.Value, logger))
        {
            return;
        }

        var reaper = (IStaleJobReaper)services.GetService(typeof(IStaleJobReaper))!;
        HostingLog.ReaperStarted(logger, Durations.ToClock(reaperOptions.Interval));

        // The first pass at once, so what is already stuck is found without waiting; then every interval.
        await RepeatAsync(now => now + reaperOptions.Interval, startNow: true, reaper.ReapStuckJobsAsync, stoppingToken).ConfigureAwait(false);
    }
}
