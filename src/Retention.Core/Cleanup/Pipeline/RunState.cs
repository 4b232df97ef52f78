using Microsoft.Extensions.Logging;
using Retention.Coordination;
using Retention.Deletion;
using Retention.Diagnostics;
using Retention.Policies;

namespace Retention.Cleanup.Pipeline;

/// <summary>One run's state: its fixed "now", the policy, its claims and limits, and the accumulating totals and details.</summary>
internal sealed class RunState(string runId, string? requestedBy, bool dryRun, RetentionPolicy policy, DateTimeOffset now, int maxDetails, IProgress<CleanupProgress> progress)
{
    public string RunId { get; } = runId;

    /// <summary>The owner of the claims this run takes on a shared store; <see langword="null"/> when it claims nothing (a dry run, a store without claims).</summary>
    public string? ClaimOwner { get; init; }

    public required CircuitBreaker Breaker { get; init; }

    public ICleanupLease? Lease { get; init; }

    public bool DryRun { get; } = dryRun;

    public string? RequestedBy { get; } = requestedBy;

    public RetentionPolicy Policy { get; } = policy;

    // One instant for the whole run, so the plan is consistent from the first job to the last.
    public DateTimeOffset Now { get; } = now;

    public IProgress<CleanupProgress> Progress { get; } = progress;

    public IProgress<JobCleanupDetail>? JobFinished { get; init; }

    public required ILogger Logger { get; init; }

    public CleanupStatsBuilder Stats { get; } = new();

    public List<JobCleanupDetail> Details { get; } = [];

    public long DetailsOmitted { get; private set; }

    /// <summary>Holds back deletions while the last ones cannot be recorded.</summary>
    public RecordingGate Recording { get; } = new();

    private readonly List<string> _unrecorded = [];

    /// <summary>Jobs whose data this run deleted but could not record cleaned, in the order they were given up on.</summary>
    public IReadOnlyList<string> Unrecorded
    {
        get
        {
            lock (_unrecorded)
            {
                return [.. _unrecorded];
            }
        }
    }

    /// <summary>Keeps track of the jobs among <paramref name="results"/> whose data is gone but that will not be recorded (the recorder failed).</summary>
    public void AddUnrecorded(IEnumerable<JobResult?> results)
    {
        lock (_unrecorded)
        {
            foreach (var result in results)
            {
                if (result is { Mark: true } && !DryRun)
                {
                    _unrecorded.Add(result.Job.Id);
                }
            }
        }
    }

    /// <summary>Reports where the run stands now, at <paramref name="stage"/>.</summary>
    public void ReportProgress(CleanupStage stage) =>
        Progress.Report(new CleanupProgress(stage, Stats.JobsScanned, Stats.JobsCleaned, Stats.BytesFreed, DryRun));

    public void Add(JobResult result, RetentionMetrics metrics)
    {
        if (result.Outcome == JobCleanupOutcome.Skipped && result.Artifacts.Count == 0)
        {
            Stats.AddSkipped(); // counted, not listed, and touched nothing: no detail to build
            return;
        }

        var detail = result.ToDetail(Now);
        Stats.Add(detail);
        if (!DryRun)
        {
            RecordMetrics(result, metrics);
        }

        if (result.Outcome == JobCleanupOutcome.Skipped)
        {
            return; // counted, not listed: the report lists what the run acted on
        }

        try
        {
            JobFinished?.Report(detail);
        }
        catch (Exception ex)
        {
            Log.ProgressCallbackFailed(Logger, ex, ex.Message);
        }

        if (Details.Count < maxDetails)
        {
            Details.Add(detail.Settled());
        }
        else
        {
            DetailsOmitted++;
        }
    }

    private static void RecordMetrics(JobResult result, RetentionMetrics metrics)
    {
        if (result.Outcome == JobCleanupOutcome.Cleaned)
        {
            metrics.JobsCleaned.Add(1, new KeyValuePair<string, object?>("status", result.Job.Status.ToWord()));
        }

        foreach (var artifact in result.Artifacts)
        {
            if (artifact.Outcome == DeletionOutcome.Deleted)
            {
                metrics.BytesFreed.Add(artifact.Bytes, new KeyValuePair<string, object?>("kind", artifact.Kind.Name));
            }
            else if (artifact.Outcome is DeletionOutcome.Refused or DeletionOutcome.Failed)
            {
                metrics.ArtifactsFailed.Add(1, new KeyValuePair<string, object?>("outcome", artifact.Outcome.ToString().ToLowerInvariant()));
            }
        }
    }
}
