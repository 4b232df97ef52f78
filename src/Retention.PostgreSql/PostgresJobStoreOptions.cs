namespace Retention.PostgreSql;

/// <summary>How the PostgreSQL store connects and which schema it reads (configuration section <c>JobCleanup:PostgreSql</c>).</summary>
public sealed class PostgresJobStoreOptions
{
    /// <summary>The Npgsql connection string. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The schema that holds the store's own tables (artifacts, audit, runs, claims, leases), created when missing. Default: <c>retention</c>.</summary>
    public string Schema { get; set; } = "retention";

    /// <summary>The jobs table and its columns: the store's own <c>retention.jobs</c> by default, or a host's table.</summary>
    public PostgresJobsTableOptions Jobs { get; set; } = new();

    /// <summary>
    /// The status words stored in the status column, by status. Defaults: <c>pending</c>, <c>scheduled</c>, <c>running</c>,
    /// <c>completed</c>, <c>failed</c>, <c>cancelled</c>. Several words for one status are separated by commas
    /// (<c>"completed, done"</c>): all are read, the first is written. A word no status has is reported and never cleaned.
    /// </summary>
    public IDictionary<JobStatus, string> StatusNames { get; } = new Dictionary<JobStatus, string>();

    /// <summary>The artifacts table (job id, kind, path, size), in <see cref="Schema"/>. Default: <c>job_artifacts</c>.</summary>
    public string ArtifactsTable { get; set; } = "job_artifacts";

    /// <summary>The audit table, <c>cleanup_audit</c>, in <see cref="Schema"/>.</summary>
    public string AuditTable { get; set; } = "cleanup_audit";

    /// <summary>The run history table, in <see cref="Schema"/>. Default: <c>cleanup_runs</c>.</summary>
    public string RunsTable { get; set; } = "cleanup_runs";

    /// <summary>
    /// Open read-only: no migration and no writes, for previews, reports and explanations with a role that may only read.
    /// The schema must have been migrated before (by a host or a real run). Default: false. The CLI sets it for
    /// <c>--dry-run</c>, <c>stats</c> and <c>explain</c>.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// How long a run's claim on a job lasts unless renewed. A live run renews its claims every third of this, however long
    /// its batches take; a replica that dies leaves claims that lapse within this long, and other replicas then take those
    /// jobs. At least 10 seconds. Default: 1 minute.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
