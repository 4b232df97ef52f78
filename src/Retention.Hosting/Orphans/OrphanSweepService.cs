using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Hosting.Diagnostics;
using Retention.Hosting.Scheduling;
using Retention.Orphans;
using Retention.Stores;

namespace Retention.Hosting.Orphans;

/// <summary>Sweeps the roots for orphaned paths on their own schedule; lists them unless deletion is enabled.</summary>
internal sealed class OrphanSweepService(
    IServiceProvider services,
    IOptions<BackgroundCleanupOptions> options,
    BackgroundCleanupSettings settings,
    TimeProvider time,
    ILogger<OrphanSweepService> logger,
    IHostEnvironment? environment = null,
    IReferencedPathStore? store = null) : BackgroundLoop(time, logger, options.Value.ClockCheckInterval)
{
    protected override string Work => "Orphan sweep";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var orphanOptions = options.Value.Orphans;
        if (!HostEnvironmentGate.ShouldRun(orphanOptions.Enabled, store, "the orphan sweep", environment, options.Value, logger))
        {
            return;
        }

        var sweeper = (IOrphanSweeper)services.GetService(typeof(IOrphanSweeper))!;
        var request = new OrphanSweepRequest { Delete = orphanOptions.Delete, MinimumAge = orphanOptions.MinimumAge };
        await RepeatAsync(
            settings.OrphanSchedule.GetNextOccurrence,
            startNow: false,
            async ct =>
            {
                var report = await sweeper.SweepAsync(request, ct).ConfigureAwait(false);
                foreach (var orphan in report.Orphans)
                {
                    HostingLog.OrphanFound(logger, orphan.Path, ByteSize.Format(orphan.Bytes), orphan.LastWrite, orphan.Outcome.ToString().ToLowerInvariant());
                }

                HostingLog.OrphanSweepFinished(logger, report.Deleted ? "deleted" : "listed (dry run)", report.Orphans.Count, ByteSize.Format(report.Bytes), report.TooYoung);
            },
            stoppingToken).ConfigureAwait(false);
    }
}
