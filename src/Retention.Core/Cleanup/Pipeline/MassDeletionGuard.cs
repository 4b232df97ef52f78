using System.Globalization;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// The relative limits of <see cref="CircuitBreakerOptions"/>, worked out when a run starts: a multiple of what the last
/// runs cleaned, and a share of what the store holds. An absolute limit set for a small site misses a rule that suddenly
/// matches everything on a big one, and one set for a big site misses it on a small one; these scale with the site.
/// </summary>
internal static class MassDeletionGuard
{
    /// <summary>How many recent runs the median is taken over.</summary>
    public const int RecentRuns = 10;

    /// <summary>How many recent runs that cleaned something there must be before the median counts: a first run over a backlog is not stopped.</summary>
    public const int MinimumRecentRuns = 5;

    // How the run history writes a completed run's outcome (CleanupRunRecord.From).
    private static readonly string Completed = CleanupOutcome.Completed.ToString().ToLowerInvariant();

    // Dry runs and history pages between the completed runs: a bounded read, whatever the history holds.
    private const int MaxPages = 10;

    public static async Task ApplyAsync(CleanupEngine engine, RunState run, CleanupRequest request)
    {
        var options = engine.Options.CircuitBreaker ?? new CircuitBreakerOptions();
        if (request.ConfirmMassDeletion)
        {
            Diagnostics.Log.MassDeletionConfirmed(engine.Logger, run.RunId, request.RequestedBy ?? "an unnamed caller");
            return;
        }

        if (options.MaxTimesMedianOfRecentRuns is { } times && engine.Stores.Runs is { } history
            && await RecentCleanedCountsAsync(engine, history).ConfigureAwait(false) is { Count: >= MinimumRecentRuns } recent)
        {
            var median = Median(recent);
            var limit = (int)Math.Min(int.MaxValue, Math.Max(options.RelativeLimitFloor, Math.Ceiling(times * median)));
            run.Breaker.LimitJobs(limit, string.Create(
                CultureInfo.InvariantCulture,
                $"Mass-deletion guard: this run reached {limit} jobs, {times:0.##}x the median of the last {recent.Count} runs ({median:0.#} jobs cleaned), and stopped; the rest waits. If this much is expected, confirm it for one run (retention clean --confirm-mass-deletion, or CleanupRequest.ConfirmMassDeletion), or raise JobCleanup:CircuitBreaker:MaxTimesMedianOfRecentRuns."));
        }

        if (options.MaxShareOfStoredJobs is { } share)
        {
            if (engine.Stores.Usage is not { } usage)
            {
                throw new RetentionConfigurationException($"JobCleanup:CircuitBreaker:MaxShareOfStoredJobs needs a store that reports how many jobs hold data ({nameof(IStorageUsageStore)}); {engine.Stores.Jobs.GetType().Name} does not. Unset it, or implement {nameof(IStorageUsageStore)}.");
            }

            IReadOnlyList<StorageUsage> rows = [];
            await engine.ExecuteAsync("read storage usage", async ct => rows = await usage.GetStorageUsageAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
            var stored = rows.Sum(r => r.Jobs);
            var limit = (int)Math.Min(int.MaxValue, Math.Max(1, Math.Floor(share * stored)));
            run.Breaker.LimitJobs(limit, string.Create(
                CultureInfo.InvariantCulture,
                $"Mass-deletion guard: this run reached {limit} jobs, {share:0.##%} of the {stored} jobs whose data the store holds (JobCleanup:CircuitBreaker:MaxShareOfStoredJobs), and stopped; the rest waits. If this much is expected, confirm it for one run (retention clean --confirm-mass-deletion, or CleanupRequest.ConfirmMassDeletion), or raise the share."));
        }
    }

    // Jobs cleaned by the most recent completed runs that were not dry runs and cleaned something, newest first. Runs that
    // cleaned nothing are left out: a schedule that runs often would otherwise have a median of nothing, and stop the first
    // ordinary batch of due jobs. Runs stopped by a limit are left out, so a guard that keeps tripping does not raise its
    // own median.
    private static async Task<List<long>> RecentCleanedCountsAsync(CleanupEngine engine, ICleanupRunStore history) =>
        [.. (await RecentCleaningRunsAsync(engine, history).ConfigureAwait(false)).Select(r => r.JobsCleaned)];

    /// <summary>The runs the guard's median is taken over, newest first: trimming the history keeps them.</summary>
    public static async Task<List<CleanupRunRecord>> RecentCleaningRunsAsync(CleanupEngine engine, ICleanupRunStore history)
    {
        var counts = new List<CleanupRunRecord>(RecentRuns);
        CleanupRunRecord? last = null;
        for (var page = 0; page < MaxPages && counts.Count < RecentRuns; page++)
        {
            IReadOnlyList<CleanupRunRecord> runs = [];

            // A page follows on from the last one's start time (and run id, for runs that started at the same instant):
            // the run id alone pages nothing, and every page would be the first.
            var query = new CleanupRunQuery { Limit = 50, StartedBefore = last?.StartedAt, BeforeRunId = last?.RunId };
            await engine.ExecuteAsync("read run history", async ct => runs = await history.GetRunsAsync(query, ct).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var record in runs)
            {
                if (!record.DryRun && record.Outcome == Completed && record.JobsCleaned > 0 && counts.Count < RecentRuns)
                {
                    counts.Add(record);
                }
            }

            if (runs.Count < query.Limit)
            {
                break;
            }

            last = runs[^1];
        }

        return counts;
    }

    private static double Median(List<long> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
