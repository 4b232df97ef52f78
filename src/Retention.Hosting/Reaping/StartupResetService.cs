using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Hosting.Diagnostics;
using Retention.Hosting.Scheduling;
using Retention.Reaping;

namespace Retention.Hosting.Reaping;

/// <summary>
/// The start-up reset: before the host starts any service (so before a web server accepts a request or a worker takes
/// a job), fails every job a previous process left running or scheduled. It runs in <see cref="IHostedLifecycleService.StartingAsync"/>,
/// so the host does not report started until it is done; an error stops the start, as a store that cannot be reached would.
/// </summary>
internal sealed class StartupResetService(
    IServiceProvider services,
    IOptions<BackgroundCleanupOptions> options,
    ILogger<StartupResetService> logger,
    IHostEnvironment? environment = null) : IHostedLifecycleService
{
    private const string Rule = "================================================================================";
    private int _done;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ResetStaleJobsOnStart || Interlocked.Exchange(ref _done, 1) == 1 || HostEnvironmentGate.IsSuppressed(environment, options.Value, logger))
        {
            return;
        }

        // Resolved here, not injected: a host without a stale-job store and without the option must still start.
        var reaper = (IStaleJobReaper)services.GetService(typeof(IStaleJobReaper))!;
        HostingLog.StartupBanner(logger, Rule);
        HostingLog.StartupResetStarting(logger);
        HostingLog.StartupBanner(logger, Rule);
        var report = await reaper.ReapAtStartupAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.StartupResetCompleted(logger, report.Reaped.Count);
        HostingLog.StartupBanner(logger, Rule);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
