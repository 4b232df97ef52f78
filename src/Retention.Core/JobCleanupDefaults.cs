namespace Retention;

/// <summary>Every default in one place.</summary>
internal static class JobCleanupDefaults
{
    /// <summary>Succeeded jobs' inputs and outputs: a week.</summary>
    public static readonly TimeSpan SucceededRetention = TimeSpan.FromHours(168);

    /// <summary>Failed jobs' data: half a day, long enough to look into the failure.</summary>
    public static readonly TimeSpan FailedRetention = TimeSpan.FromHours(12);

    /// <summary>Jobs processed and recorded per batch.</summary>
    public const int BatchSize = 100;

    /// <summary>Jobs deleted at the same time.</summary>
    public const int MaxParallelDeletions = 4;

    /// <summary>Per-job details kept in a report; the totals always count every job.</summary>
    public const int MaxReportedJobs = 1000;

    /// <summary>A job running for more than a day is stale by default; shorter timeouts (5 minutes for short jobs) are a per-host choice.</summary>
    public static readonly TimeSpan ExecutionTimeout = TimeSpan.FromDays(1);

    /// <summary>Added to the timeout before a job counts as stuck.</summary>
    public static readonly TimeSpan StaleBuffer = TimeSpan.FromMinutes(1);

    /// <summary>The reaper fails running and pending jobs past their timeout.</summary>
    public static readonly JobStatus[] StaleStatuses = [JobStatus.Running, JobStatus.Pending];

    /// <summary>The start-up reset fails running and scheduled jobs.</summary>
    public static readonly JobStatus[] StartupStatuses = [JobStatus.Running, JobStatus.Scheduled];

    /// <summary>Retries of a transient failure (a locked database, a busy file).</summary>
    public const int RetryAttempts = 3;

    /// <summary>The first retry's delay; later ones back off exponentially.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a run keeps trying to record jobs whose data it has deleted while the store is locked: long enough for another writer's batch job, short enough that a stuck lock ends the run.</summary>
    public static readonly TimeSpan RecordingTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The longest pause between two attempts to record deleted jobs.</summary>
    public static readonly TimeSpan RecordingRetryMaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>Quarantined data waits a week before it is deleted: long enough to notice a wrong rule and restore.</summary>
    public static readonly TimeSpan QuarantineGracePeriod = TimeSpan.FromDays(7);

    /// <summary>The quarantine folder at the top of each root; the leading dot keeps it out of casual listings.</summary>
    public const string QuarantineFolderName = ".retention-quarantine";
}
