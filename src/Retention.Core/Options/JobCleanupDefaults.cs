namespace Retention;

/// <summary>Every default in one place, taken from the seed systems.</summary>
internal static class JobCleanupDefaults
{
    /// <summary>EEMT_SUCCESS_RETENTION_HOURS=168.</summary>
    public static readonly TimeSpan SucceededRetention = TimeSpan.FromHours(168);

    /// <summary>EEMT_FAILED_RETENTION_HOURS=12.</summary>
    public static readonly TimeSpan FailedRetention = TimeSpan.FromHours(12);

    /// <summary>EEMT_CLEANUP_BATCH_SIZE=100.</summary>
    public const int BatchSize = 100;

    /// <summary>cleanup_config.yaml: max_workers: 4.</summary>
    public const int MaxParallelDeletions = 4;

    /// <summary>Per-job details kept in a report; the totals always count every job.</summary>
    public const int MaxReportedJobs = 1000;

    /// <summary>Seed 003 treats a job running for more than a day as stale; shorter timeouts are a per-host choice (Scrapazoid: 5 minutes).</summary>
    public static readonly TimeSpan ExecutionTimeout = TimeSpan.FromDays(1);

    /// <summary>Scrapazoid: the 5-minute timeout plus a 1-minute buffer.</summary>
    public static readonly TimeSpan StaleBuffer = TimeSpan.FromMinutes(1);

    /// <summary>Scrapazoid reaps running and pending executions.</summary>
    public static readonly JobStatus[] StaleStatuses = [JobStatus.Running, JobStatus.Pending];

    /// <summary>MyFoil resets running and scheduled jobs at start-up.</summary>
    public static readonly JobStatus[] StartupStatuses = [JobStatus.Running, JobStatus.Scheduled];

    /// <summary>Retries of a transient failure (a locked database, a busy file).</summary>
    public const int RetryAttempts = 3;

    /// <summary>The first retry's delay; later ones back off exponentially.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Quarantined data waits a week before it is deleted: long enough to notice a wrong rule and restore.</summary>
    public static readonly TimeSpan QuarantineGracePeriod = TimeSpan.FromDays(7);

    /// <summary>The quarantine folder at the top of each root; the leading dot keeps it out of casual listings.</summary>
    public const string QuarantineFolderName = ".retention-quarantine";
}
