using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Coordination;
using Retention.Hosting.Diagnostics;
using Retention.Scheduling;
using Retention.Stores;

namespace Retention.Hosting.Scheduling;

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
    ICleanupRunStore? history = null,
    ICleanupLeaderLock? leaderLock = null,
    IJobExplainer? explainer = null) : BackgroundLoop(time, logger, options.Value.ClockCheckInterval), ICleanupScheduleState
{
    private readonly BackgroundCleanupOptions _options = options.Value;
    private long _nextRunTicks = -1;
    private long _startedTicks = -1;
    private long _ranElsewhereTicks = -1;
    private SkippedOccurrence? _lastSkipped;

    /// <summary>The name of the leader lock that scheduled runs take when an <see cref="ICleanupLeaderLock"/> is registered.</summary>
    public const string LeaderLockName = "retention:scheduled-cleanup";

    /// <inheritdoc />
    public DateTimeOffset? NextRunAt => Read(ref _nextRunTicks);

    /// <summary>The schedule the service follows.</summary>
    public CleanupSchedule Schedule => settings.Schedule;

    /// <summary>Whether scheduled runs are on.</summary>
    public bool IsScheduled => _options.Enabled;

    /// <summary>When the schedule started in this process; <see langword="null"/> before it starts.</summary>
    public DateTimeOffset? StartedAt => Read(ref _startedTicks);

    /// <summary>When this instance last skipped an occurrence because another instance held the leader lock and ran it.</summary>
    public DateTimeOffset? LastRanElsewhereAt => Read(ref _ranElsewhereTicks);

    /// <inheritdoc />
    public SkippedOccurrence? LastSkippedOccurrence => Volatile.Read(ref _lastSkipped);

    /// <summary>The random delay added to runs, at most.</summary>
    public TimeSpan MaxJitter => _options.Jitter;

    protected override string Work => "Scheduled cleanup";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        foreach (var shadowed in _options.ShadowedAliases)
        {
            HostingLog.ScheduleAliasShadowed(logger, shadowed);
        }

        await CheckStatusWordsAsync(stoppingToken).ConfigureAwait(false);
        if (!_options.Enabled && !_options.RunOnStart)
        {
            // Never silent: a host that schedules nothing says so, and which key made it so.
            HostingLog.ScheduleOff(logger, ScheduleAliases.EnabledSource(_options));
            return;
        }

        if (HostEnvironmentGate.IsSuppressed(environment, _options, logger))
        {
            return;
        }

        try
        {
            var startedAt = Time.GetUtcNow();
            Interlocked.Exchange(ref _startedTicks, startedAt.UtcTicks);
            if (await FirstRunAsync(startedAt, stoppingToken).ConfigureAwait(false) is ({ } trigger, var occurrence))
            {
                await RunAtAsync(startedAt + _options.StartDelay + Jitter(), trigger, occurrence, stoppingToken).ConfigureAwait(false);
            }

            // Each occurrence follows the previous one, not the end of its run (a 20-minute run does not push "every 1h" later);
            // occurrences that passed during a long run or a sleep are skipped, not run back to back.
            var due = Time.GetUtcNow();
            while (_options.Enabled && !stoppingToken.IsCancellationRequested)
            {
                var now = Time.GetUtcNow();
                due = settings.Schedule.GetNextOccurrence(due);
                if (due <= now)
                {
                    due = settings.Schedule.GetNextOccurrence(now);
                }

                await RunAtAsync(due + Jitter(), CleanupTriggers.Schedule, due, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            SetNext(null);
            HostingLog.ScheduleStopped(logger);
        }
    }

    // Status words no status is mapped to keep their jobs forever: said at start-up (the engine logs each one and keeps
    // them for the health check), not first at the next scheduled run. A store that cannot be read yet is not fatal here.
    private async Task CheckStatusWordsAsync(CancellationToken cancellationToken)
    {
        if (explainer is null)
        {
            return;
        }

        try
        {
            await explainer.FindUnmappedStatusesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostingLog.StatusWordCheckFailed(logger, ex, ex.Message);
        }
    }

    // The trigger of a run soon after start, and the occurrence it stands for: a missed scheduled run counts as the
    // schedule's (so the next start sees it), a start-up run as "startup"; null when neither applies.
    private async Task<(string? Trigger, DateTimeOffset Occurrence)> FirstRunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            HostingLog.ScheduleStarted(logger, settings.Schedule.ToString(), settings.Schedule.GetNextOccurrence(now), ScheduleAliases.ScheduleSource(_options), ScheduleAliases.EnabledSource(_options));
            if (_options.CatchUpMissedRun && history is not null && await LastScheduledRunAsync(cancellationToken).ConfigureAwait(false) is { } last
                && settings.Schedule.GetNextOccurrence(last) is var due && due <= now)
            {
                HostingLog.CatchingUpMissedRun(logger, last, due, now + _options.StartDelay);
                return (CleanupTriggers.Schedule, due);
            }
        }

        if (_options.RunOnStart)
        {
            HostingLog.RunningOnStart(logger, now + _options.StartDelay);
            return (CleanupTriggers.Startup, now);
        }

        return (null, now);
    }

    // A history that cannot be read means no catch-up, not no schedule.
    private async Task<DateTimeOffset?> LastScheduledRunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var last = await history!.GetRunsAsync(new CleanupRunQuery { Limit = 1, Trigger = CleanupTriggers.Schedule }, cancellationToken).ConfigureAwait(false);
            return last.Count == 1 ? last[0].StartedAt : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostingLog.CatchUpCheckFailed(logger, ex, ex.Message);
            return null;
        }
    }

    private async Task RunAtAsync(DateTimeOffset at, string trigger, DateTimeOffset occurrence, CancellationToken stoppingToken)
    {
        SetNext(at);
        HostingLog.NextRun(logger, at);
        await WaitUntilAsync(at, stoppingToken).ConfigureAwait(false);
        SetNext(null);

        // The engine reports errors in its report (and logs them); the pass guard is for a host's own decorator that throws.
        await PassAsync(ct => RunAsLeaderAsync(trigger, occurrence, ct), stoppingToken).ConfigureAwait(false);
    }

    // With a leader lock, one instance of the fleet runs each occurrence: every instance wakes for the same instant (an
    // interval is aligned to the epoch, as cron and daily times are to the clock), the lock is held for the whole run,
    // and the instance that takes it after the run (its jitter was longer, its clock later) finds a scheduled run
    // started at or after the occurrence in the shared history and skips it.
    private async Task RunAsLeaderAsync(string trigger, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        if (leaderLock is null)
        {
            await cleaner.RunAsync(new CleanupRequest { Trigger = trigger, RequestedBy = "scheduler" }, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var lease = await leaderLock.TryAcquireAsync(LeaderLockName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            Skipped(trigger, occurrence, OccurrenceSkipReason.LockHeldElsewhere);
            HostingLog.NotLeader(logger, LeaderLockName, trigger, occurrence);
            return;
        }

        await using (lease.ConfigureAwait(false))
        {
            if (trigger == CleanupTriggers.Schedule && await LastScheduledRunAsync(cancellationToken).ConfigureAwait(false) is { } last && last >= occurrence)
            {
                Skipped(trigger, occurrence, OccurrenceSkipReason.RanElsewhere);
                HostingLog.OccurrenceRanElsewhere(logger, occurrence, last);
                return;
            }

            await cleaner.RunAsync(new CleanupRequest { Trigger = trigger, RequestedBy = "scheduler", Lease = lease }, null, cancellationToken).ConfigureAwait(false);
        }
    }

    // Kept for the health check (a skipped occurrence is not an overdue one) and, for scheduled occurrences, the status.
    private void Skipped(string trigger, DateTimeOffset occurrence, OccurrenceSkipReason reason)
    {
        var now = Time.GetUtcNow();
        Interlocked.Exchange(ref _ranElsewhereTicks, now.UtcTicks);
        if (trigger == CleanupTriggers.Schedule)
        {
            Volatile.Write(ref _lastSkipped, new SkippedOccurrence(occurrence, reason, now));
        }
    }

    private TimeSpan Jitter() =>
        _options.Jitter > TimeSpan.Zero ? TimeSpan.FromTicks(Random.Shared.NextInt64(_options.Jitter.Ticks)) : TimeSpan.Zero;

    private void SetNext(DateTimeOffset? at) => Interlocked.Exchange(ref _nextRunTicks, at?.UtcTicks ?? -1);

    private static DateTimeOffset? Read(ref long ticks) => Interlocked.Read(ref ticks) is >= 0 and var value ? new DateTimeOffset(value, TimeSpan.Zero) : null;
}
