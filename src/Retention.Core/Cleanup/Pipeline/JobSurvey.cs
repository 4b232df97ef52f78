using System.Runtime.CompilerServices;
using Retention.Artifacts;
using Retention.Cleanup.Outlook;
using Retention.Policies;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// Reads every job whose data is not cleaned, with all its artifacts, and asks a policy about each, deleting nothing: the
/// outlook (overdue and upcoming data) and the comparison of a candidate policy with the one in force. Sizes are the
/// recorded ones, so a survey costs one pass over the store and the conventions' listings, no walk of the data.
/// </summary>
internal sealed class JobSurvey(CleanupEngine engine, JobPlanner planner)
{
    private const int BatchSize = 500;
    private static readonly JobStatus[] Finished = [.. Enum.GetValues<JobStatus>().Where(s => !s.IsActive())];

    public async Task<RetentionOutlook> OutlookAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        var policy = engine.Settings.Policy;
        var now = engine.Time.GetUtcNow();
        var horizon = now + window;
        var lastRun = engine.Status.LastRealReport;
        var failedLastRun = lastRun?.Jobs.Where(j => j.Outcome == JobCleanupOutcome.Failed).ToDictionary(j => j.JobId, StringComparer.Ordinal) ?? [];
        long scanned = 0, overdueJobs = 0, overdueBytes = 0, upcomingJobs = 0, upcomingBytes = 0;

        // Bounded heaps: the oldest overdue (largest due time dequeued first) and the soonest upcoming.
        var overdue = new PriorityQueue<OutlookJob, long>();
        var upcoming = new PriorityQueue<OutlookJob, long>();
        await foreach (var job in ReadAsync([policy], cancellationToken).ConfigureAwait(false))
        {
            scanned++;
            var decision = policy.Evaluate(job, now);
            if (decision.Protection != JobProtection.None)
            {
                continue;
            }

            if (decision.HasDueArtifacts)
            {
                var (since, bytes) = DueData(decision);
                overdueJobs++;
                overdueBytes += bytes;

                // Undated data (due by a keep-newest rule) sorts as due now, after every dated one.
                KeepEarliest(overdue, since ?? now, () => new OutlookJob(job.Id, StatusWord(job), since, bytes, decision.Reason, StaysBecause(job.Id, since, lastRun, failedLastRun)));
            }
            else if (decision.NextDueAt is { } next && next <= horizon)
            {
                var bytes = decision.Artifacts.Where(a => a.IsPending && a.DueAt <= horizon).Sum(a => a.Artifact.SizeBytes ?? 0);
                upcomingJobs++;
                upcomingBytes += bytes;
                KeepEarliest(upcoming, next, () => new OutlookJob(job.Id, StatusWord(job), next, bytes, decision.Reason));
            }
        }

        var overdueList = Drain(overdue);
        return new RetentionOutlook
        {
            EvaluatedAt = now,
            Window = window,
            JobsScanned = scanned,
            OverdueJobs = overdueJobs,
            OverdueBytes = overdueBytes,
            OldestOverdueSince = overdueList.Length > 0 ? overdueList[0].DueAt : null, // the list is oldest first
            Overdue = overdueList,
            UpcomingJobs = upcomingJobs,
            UpcomingBytes = upcomingBytes,
            Upcoming = Drain(upcoming),
        };
    }

    public async Task<PolicyComparison> CompareAsync(RetentionPolicy candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var current = engine.Settings.Policy;
        var now = engine.Time.GetUtcNow();
        var groups = new Dictionary<(PolicyChangeKind Kind, string Rule), (long Jobs, long Bytes, List<string> Ids)>();
        long scanned = 0;
        var moved = new Dictionary<(PolicyChangeKind Kind, string Rule), long>();
        await foreach (var job in ReadAsync([current, candidate], cancellationToken).ConfigureAwait(false))
        {
            scanned++;
            var before = current.Evaluate(job, now);
            var after = candidate.Evaluate(job, now);
            if (before.Protection != JobProtection.None)
            {
                continue; // active or held: neither policy touches it
            }

            // Artifact by artifact (both decisions are in the job's artifact order): a job whose logs are due under both
            // but whose outputs become due is a change; each (kind, rule) counts the job once and its artifacts' bytes.
            moved.Clear();
            for (var i = 0; i < before.Artifacts.Count; i++)
            {
                if (Change(before.Artifacts[i], after.Artifacts[i]) is { } change)
                {
                    var key = (change.Kind, change.Rule?.Name ?? "(no rule)");
                    moved[key] = moved.GetValueOrDefault(key) + (before.Artifacts[i].Artifact.SizeBytes ?? 0);
                }
            }

            foreach (var (key, bytes) in moved)
            {
                var (jobs, sum, ids) = groups.TryGetValue(key, out var group) ? group : (0, 0, new List<string>());
                if (ids.Count < PolicyComparison.MaxListedJobs)
                {
                    ids.Add(job.Id);
                }

                groups[key] = (jobs + 1, sum + bytes, ids);
            }
        }

        return new PolicyComparison
        {
            EvaluatedAt = now,
            JobsScanned = scanned,
            Changes = [.. groups
                .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Rule, StringComparer.Ordinal)
                .Select(g => new PolicyChange(g.Key.Kind, g.Key.Rule, g.Value.Jobs, g.Value.Bytes, g.Value.Ids))],
        };
    }

    // Which way one artifact moves, and the rule that moves it: the candidate's, or for data no longer due the one in force's.
    private static (PolicyChangeKind Kind, RetentionRule? Rule)? Change(ArtifactDecision before, ArtifactDecision after)
    {
        var dueBefore = before.Verdict == ArtifactVerdict.Delete;
        var dueAfter = after.Verdict == ArtifactVerdict.Delete;
        if (dueBefore != dueAfter)
        {
            return dueAfter ? (PolicyChangeKind.BecomesDue, after.Rule) : (PolicyChangeKind.NoLongerDue, before.Rule);
        }

        if (dueBefore)
        {
            return null; // due under both
        }

        // Kept under both: when does each let it go? Never, for one kept for good.
        var until = before.IsPending ? before.DueAt ?? DateTimeOffset.MaxValue : DateTimeOffset.MaxValue;
        var untilAfter = after.IsPending ? after.DueAt ?? DateTimeOffset.MaxValue : DateTimeOffset.MaxValue;
        return until == untilAfter ? null
            : untilAfter < until ? (PolicyChangeKind.DueEarlier, after.Rule)
            : (PolicyChangeKind.DueLater, after.Rule ?? before.Rule);
    }

    // Every finished job whose data is not cleaned, whatever its age, with its holds (a held job is reported as kept). An
    // active job is out of every rule's reach, so it is not read at all.
    private async IAsyncEnumerable<JobRecord> ReadAsync(RetentionPolicy[] policies, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var locator = ConventionArtifactLocator.ForRun(engine.Settings.Conventions, engine.Time);
        var query = new CleanupCandidateQuery(Finished, DateTimeOffset.MaxValue, BatchSize)
        {
            IncludeRanks = policies.Any(p => p.Rules.Any(r => r.Period.Kind == RetentionPeriodKind.KeepLast)),
        };
        await foreach (var candidate in engine.Stores.Jobs.GetCleanupCandidatesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            yield return await planner.WithAllArtifactsAsync(candidate, locator).ConfigureAwait(false);
        }
    }

    private static (DateTimeOffset? Since, long Bytes) DueData(JobRetentionDecision decision)
    {
        DateTimeOffset? since = null;
        long bytes = 0;
        foreach (var artifact in decision.Artifacts)
        {
            if (artifact.Verdict != ArtifactVerdict.Delete)
            {
                continue;
            }

            bytes += artifact.Artifact.SizeBytes ?? 0;
            if (artifact.DueAt is { } due && (since is null || due < since))
            {
                since = due;
            }
        }

        return (since, bytes);
    }

    private static string? StaysBecause(string jobId, DateTimeOffset? dueAt, CleanupReport? lastRun, Dictionary<string, JobCleanupDetail> failed)
    {
        if (failed.TryGetValue(jobId, out var detail))
        {
            var error = detail.Artifacts.FirstOrDefault(a => a.Reason is not null)?.Reason;
            return $"the last run ({lastRun!.RunId}) failed to clean it{(error is null ? string.Empty : ": " + error)}";
        }

        if (lastRun is null || dueAt is { } due && lastRun.StartedAt < due)
        {
            return "no run has reached it since it became due";
        }

        return lastRun.Outcome == CleanupOutcome.Completed
            ? $"the last run ({lastRun.RunId}) left it (claimed by another instance, changed while it ran, or outside its candidates)"
            : $"the last run ({lastRun.RunId}) ended {lastRun.Outcome.ToString().ToLowerInvariant()} before reaching it{(lastRun.Error is null ? string.Empty : ": " + lastRun.Error)}";
    }

    private static string StatusWord(JobRecord job) => job.UnmappedStatus ?? job.Status.ToWord();

    // Keeps the MaxListedJobs earliest in a heap that dequeues the latest first; a job is built (its reason formatted) only
    // when it is kept.
    private static void KeepEarliest(PriorityQueue<OutlookJob, long> heap, DateTimeOffset at, Func<OutlookJob> job)
    {
        var priority = -at.UtcTicks;
        if (heap.Count == RetentionOutlook.MaxListedJobs && (!heap.TryPeek(out _, out var latest) || priority <= latest))
        {
            return;
        }

        heap.Enqueue(job(), priority);
        if (heap.Count > RetentionOutlook.MaxListedJobs)
        {
            heap.Dequeue();
        }
    }

    private static OutlookJob[] Drain(PriorityQueue<OutlookJob, long> heap)
    {
        // The heap dequeues the latest first; the list reads earliest first.
        var jobs = new OutlookJob[heap.Count];
        for (var i = jobs.Length - 1; i >= 0; i--)
        {
            jobs[i] = heap.Dequeue();
        }

        return jobs;
    }
}
