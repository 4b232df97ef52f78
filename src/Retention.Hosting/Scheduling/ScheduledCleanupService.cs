using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Scheduling;
using Retention.Stores;

namespace Retention.Hosting;

/// <summary>
/// Runs cleanups on the schedule: once soon after start when asked to or when a scheduled run was missed while the process
/// was down, then at each occurrence plus a random jitter. Stopping cancels the run in progress between jobs; the engine records it as cancelled.
/// </summary>
internal sealed class ScheduledCleanupService(
    IJobCleaner cleaner,
    IOptions<BackgroundCleanupOptions> options,
    BackgroundCleanupSettings settings,
    TimeProvider time,
    ILogger<ScheduledCleanupService> logger,
    IHostEnvironment? environment = null,
    ICleanupRunStore? history = null) : BackgroundLoop, ICleanupScheduleState
{
    private readonly BackgroundCleanupOptions _options = options.Value;
    private long _nextRunTicks = -1;
    private long _startedTicks = -1;

    /// <inheritdoc />
    public DateTimeOffset? NextRunAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _nextRunTicks);
            return ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The schedule the service follows.</summary>
    public CleanupSchedule Schedule => settings.Schedule;

    /// <summary>Whether scheduled runs are on.</summary>
    public bool IsScheduled => _options.Enabled;

    /// <summary>When the schedule started in this process; <see langword="null"/> before it starts.</summary>
    public DateTimeOffset? StartedAt => Interlocked.Read(ref _startedTicks) is >= 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The random delay added to runs, at most.</summary>
    public TimeSpan MaxJitter => _options.Jitter;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if ((!_options.Enabled && !_options.RunOnStart) || HostEnvironmentGate.IsSuppressed(environment, _options, logger))
        {
            return;
        }

        try
        {
            var startedAt = time.GetUtcNow();
            Interlocked.Exchange(ref _startedTicks, startedAt.UtcTicks);
            if (await FirstRunAsync(startedAt, stoppingToken).ConfigureAwait(false) is { } trigger)
            {
                var runAt = startedAt + _options.StartDelay;
                SetNext(runAt);
                await WaitUntilAsync(time, runAt, stoppingToken).ConfigureAwait(false);
                await RunOnceAsync(trigger, stoppingToken).ConfigureAwait(false);
            }

            while (_options.Enabled && !stoppingToken.IsCancellationRequested)
            {
                var next = settings.Schedule.GetNextOccurrence(time.GetUtcNow()) + Jitter();
                SetNext(next);
                HostingLog.NextRun(logger, next);
                await WaitUntilAsync(time, next, stoppingToken).ConfigureAwait(false);
                await RunOnceAsync(CleanupTriggers.Schedule, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            SetNext(null);
            HostingLog.ScheduleStopped(logger);
        }
    }

    // The trigger of a run soon after start: a missed scheduled run counts as the schedule's (so the next start sees it),
    // a start-up run as "startup"; null when neither applies.
    private async Task<string?> FirstRunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            HostingLog.ScheduleStarted(logger, settings.Schedule.ToString(), settings.Schedule.GetNextOccurrence(now));
            if (_options.CatchUpMissedRun && history is not null)
            {
                var last = await history.GetRunsAsync(new CleanupRunQuery { Limit = 1, Trigger = CleanupTriggers.Schedule }, cancellationToken).ConfigureAwait(false);
                if (last.Count == 1 && settings.Schedule.GetNextOccurrence(last[0].StartedAt) is var due && due <= now)
                {
                    HostingLog.CatchingUpMissedRun(logger, last[0].StartedAt, due, now + _options.StartDelay);
                    return CleanupTriggers.Schedule;
                }
            }
        }

        if (_options.RunOnStart)
        {
            HostingLog.RunningOnStart(logger, now + _options.StartDelay);
            return CleanupTriggers.Startup;
        }

        return null;
    }

    private async Task RunOnceAsync(string trigger, CancellationToken stoppingToken)
    {
        SetNext(null);
        try
        {
            // The engine reports errors in the report (and logs them); this catch is for a host's own decorator or store that throws.
            await cleaner.RunAsync(new CleanupRequest { Trigger = trigger, RequestedBy = "scheduler" }, null, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostingLog.BackgroundWorkFailed(logger, ex, "Scheduled cleanup", ex.Message);
        }
    }

    private TimeSpan Jitter() =>
        _options.Jitter > TimeSpan.Zero ? TimeSpan.FromTicks(Random.Shared.NextInt64(_options.Jitter.Ticks)) : TimeSpan.Zero;

    private void SetNext(DateTimeOffset? at) => Interlocked.Exchange(ref _nextRunTicks, at?.UtcTicks ?? -1);
}
