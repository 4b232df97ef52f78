namespace Retention.Sqlite;

/// <summary>How the SQLite store connects and which schema it reads (configuration section <c>JobCleanup:Sqlite</c>).</summary>
public sealed class SqliteJobStoreOptions
{
    /// <summary>The database file. Default: <c>jobs.db</c> in the current directory.</summary>
    public string DatabasePath { get; set; } = "jobs.db";

    /// <summary>Whether a missing database file is created (with the default schema). Default: true. The CLI sets it false, so a mistyped path is an error.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Open read-only: no migration, no writes (dry runs that must leave the file byte-for-byte unchanged).</summary>
    public bool ReadOnly { get; set; }

    /// <summary>How long a write waits for a locked database before the attempt fails as transient (and the engine retries). Default: 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The jobs table and its columns.</summary>
    public SqliteJobsTableOptions Jobs { get; set; } = new();

    /// <summary>
    /// The status words stored in the status column, by status. Defaults: <c>pending</c>, <c>scheduled</c>, <c>running</c>,
    /// <c>completed</c>, <c>failed</c>, <c>cancelled</c>. Several words for one status are separated by commas
    /// (<c>"completed, done"</c>): all are read, the first is written. A word no status has is reported and never cleaned.
    /// </summary>
    public IDictionary<JobStatus, string> StatusNames { get; } = new Dictionary<JobStatus, string>();

    /// <summary>The artifacts table (job id, kind, path, size). Default: <c>job_artifacts</c>.</summary>
    public string ArtifactsTable { get; set; } = "job_artifacts";

    /// <summary>The audit table, <c>cleanup_audit</c>.</summary>
    public string AuditTable { get; set; } = "cleanup_audit";

    /// <summary>
    /// Audit rows in the classic form that reports written for older cleanup scripts read: <c>timestamp</c> as SQLite's
    /// <c>CURRENT_TIMESTAMP</c> writes it (UTC, <c>2024-01-15 12:34:56</c>), <c>action</c> <c>deleted_results</c> for
    /// cleaned data, <c>space_freed_mb</c> a whole number of MiB. Default: false (ISO-8601 times to the microsecond,
    /// <c>deleted_data</c>, MiB to three decimals).
    /// </summary>
    public bool ClassicAuditRows { get; set; }

    /// <summary>The run history table. Default: <c>cleanup_runs</c>.</summary>
    public string RunsTable { get; set; } = "cleanup_runs";
}
