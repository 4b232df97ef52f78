using System.Text.RegularExpressions;
using Retention.Stores;
using Retention.Stores.Sql;

namespace Retention.PostgreSql;

/// <summary>The store's resolved names and DDL: validated identifiers, quoted once, the status strings, and the migrations.</summary>
internal sealed partial class PostgresSchema : JobsTableNames
{
    private const string Section = "JobCleanup:PostgreSql";

    // "ix_retention_" + table + "_uncleaned" must stay within PostgreSQL's 63-character names.
    private const int MaxJobsTableLength = 63 - 13 - 10;
    private readonly JobStatusMap _statuses;

    private PostgresSchema(PostgresJobStoreOptions options, JobStatusMap statuses)
        : base(options.Jobs)
    {
        var jobs = options.Jobs;
        _statuses = statuses;
        RawSchema = options.Schema;
        RawJobsSchema = string.IsNullOrWhiteSpace(jobs.Schema) ? options.Schema : jobs.Schema;
        OwnsJobsTable = RawJobsSchema == options.Schema;
        Jobs = Q(RawJobsSchema) + "." + Q(jobs.Table);
        Artifacts = Own(options.ArtifactsTable);
        Audit = Own(options.AuditTable);
        Runs = Own(options.RunsTable);
        Claims = Own("job_claims");
        Leases = Own("leader_leases");
        Holds = Own("job_holds");
        MigrationsTable = Own("schema_migrations");
    }

    public string RawSchema { get; }

    public string RawJobsSchema { get; }

    /// <summary>Whether the jobs table lives in the store's schema (so the store may create it).</summary>
    public bool OwnsJobsTable { get; }

    public string Jobs { get; }

    public string Artifacts { get; }

    public string Audit { get; }

    public string Runs { get; }

    public string Claims { get; }

    public string Leases { get; }

    /// <summary>The holds: one row per hold, several per job.</summary>
    public string Holds { get; }

    /// <summary>The jobs aliased <c>j</c> with no hold in force at <c>@heldAt</c>, through the holds table's (job_id, expires_at) index.</summary>
    public string NotHeld => $"NOT EXISTS (SELECT 1 FROM {Holds} h WHERE h.job_id = j.{Id}::text AND (h.expires_at IS NULL OR h.expires_at > @heldAt))";

    public string MigrationsTable { get; }

    /// <summary>The SQL type of the id column (<c>text</c>, <c>integer</c>, <c>uuid</c>), read at start, so parameters are cast to it and its index is used.</summary>
    public string IdType { get; set; } = "text";

    /// <summary>The SQL type of the status column (text or a host's enum).</summary>
    public string StatusType { get; set; } = "text";

    /// <summary>When the status column is an enum, its labels: a status whose string is not among them has no jobs.</summary>
    public IReadOnlySet<string>? StatusLabels { get; set; }

    /// <summary>The strings for <paramref name="statuses"/> the status column can hold (all of them, unless it is an enum).</summary>
    public string[] NamesOf(IEnumerable<JobStatus> statuses) =>
        _statuses.WordsOf(statuses).Where(n => StatusLabels is null || StatusLabels.Contains(n)).ToArray();

    /// <summary>
    /// The status column, as text, turned into the written word of its status, for a compare-and-set against
    /// <see cref="NameOf"/>: the column's text itself when each status has one word.
    /// </summary>
    public bool HasSeveralWords => _statuses.HasSeveralWords;

    public string WrittenStatus(string alias = "") => _statuses.WrittenWordSql($"{alias}{Status}::text");

    /// <summary>Whether <paramref name="id"/> can be a value of the id column (a word is no integer id), so lookups compare in the column's own type.</summary>
    public bool CanBeId(string id) => IdType switch
    {
        "integer" or "bigint" or "smallint" => long.TryParse(id, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _),
        "uuid" => Guid.TryParse(id, out _),
        _ => true,
    };

    /// <summary>When the job finished, as the engine measures ages: completion, else start, else creation.</summary>
    public string FinishedAtExpression => $"COALESCE({CompletedAt}, {StartedAt}, {CreatedAt})";

    /// <summary>
    /// The job columns in the order <c>ReadJob</c> reads them, named <c>r_id</c> ... <c>r_version</c>; <paramref name="alias"/>
    /// qualifies each. The version is the row's <c>xmin</c>: it changes on every update, and a row lock does not touch it.
    /// </summary>
    public string JobColumns(string alias) =>
        $"{alias}.{Id}::text AS r_id, {alias}.{Status}::text AS r_status, {(JobType is null ? "NULL::text" : $"{alias}.{JobType}::text")} AS r_type, " +
        $"{alias}.{CreatedAt} AS r_created, {alias}.{StartedAt} AS r_started, {alias}.{CompletedAt} AS r_completed, {alias}.{ErrorMessage}::text AS r_error, " +
        $"{alias}.{DataCleanedAt} AS r_cleaned, {alias}.xmin::text::bigint AS r_version";

    /// <summary>The same columns read back from a CTE that selected <see cref="JobColumns"/>.</summary>
    public static string JobColumnNames(string alias) =>
        $"{alias}.r_id, {alias}.r_status, {alias}.r_type, {alias}.r_created, {alias}.r_started, {alias}.r_completed, {alias}.r_error, {alias}.r_cleaned, {alias}.r_version";

    /// <summary>Validates the names; returns one message per problem, naming the option and the value.</summary>
    public static PostgresSchema Create(PostgresJobStoreOptions options, List<string> errors)
    {
        void Check(string key, string? value, bool optional = false)
        {
            if (optional && string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            if (value is null || !Identifier().IsMatch(value))
            {
                errors.Add($"{Section}:{key}: '{value}' is not a plain SQL identifier (letters, digits and underscores, not starting with a digit).");
            }
            else if (value.Length > (key == "Jobs:Table" ? MaxJobsTableLength : 63))
            {
                errors.Add($"{Section}:{key}: '{value}' is longer than {(key == "Jobs:Table" ? MaxJobsTableLength : 63)} characters (PostgreSQL truncates longer names{(key == "Jobs:Table" ? ", and the store's index names are built from it" : string.Empty)}).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{Section}:ConnectionString: the connection string is empty.");
        }

        var jobs = options.Jobs;
        Check("Schema", options.Schema);
        Check("Jobs:Schema", jobs.Schema, optional: true);
        foreach (var (option, name, optional) in jobs.Names())
        {
            Check(option, name, optional);
        }

        Check("ArtifactsTable", options.ArtifactsTable);
        Check("AuditTable", options.AuditTable);
        Check("RunsTable", options.RunsTable);
        var statuses = JobStatusMap.Create(options.StatusNames, $"{Section}:StatusNames", errors);
        if (options.ClaimTimeout < TimeSpan.FromSeconds(10))
        {
            errors.Add($"{Section}:ClaimTimeout: must be at least 10 seconds (was {options.ClaimTimeout}).");
        }

        return new PostgresSchema(options, statuses);
    }

    public string NameOf(JobStatus status) => _statuses.NameOf(status);

    public JobStatus? StatusOf(string name) => _statuses.StatusOf(name);

    /// <summary>
    /// The migrations, in order. Each is idempotent, so a database half-way through a failed start, or one another replica
    /// migrated meanwhile, ends the same; the version table says which ran.
    /// </summary>
    public IEnumerable<(int Version, string Description, string[] Statements)> MigrationSteps(bool createJobsTable, bool addCleanedColumn, bool addSizeColumn)
    {
        var jobsDdl = new List<string>();
        if (createJobsTable)
        {
            jobsDdl.Add($"""
                CREATE TABLE IF NOT EXISTS {Jobs} (
                    {Id} text PRIMARY KEY,
                    {Status} text NOT NULL,
                    {JobType ?? "job_type"} text,
                    {CreatedAt} timestamptz NOT NULL,
                    {StartedAt} timestamptz,
                    {CompletedAt} timestamptz,
                    {ErrorMessage} text,
                    {DataCleanedAt} timestamptz,
                    {DataSizeMb} double precision)
                """);
        }

        if (addCleanedColumn)
        {
            jobsDdl.Add($"ALTER TABLE {Jobs} ADD COLUMN IF NOT EXISTS {DataCleanedAt} timestamptz");
        }

        if (addSizeColumn)
        {
            jobsDdl.Add($"ALTER TABLE {Jobs} ADD COLUMN IF NOT EXISTS {DataSizeMb} double precision");
        }

        yield return (1, "jobs table and retention columns", jobsDdl.ToArray());
        yield return (2, "artifacts, audit and run history", [
            $"CREATE TABLE IF NOT EXISTS {Artifacts} (job_id text NOT NULL, kind text NOT NULL, path text NOT NULL, size_bytes bigint, PRIMARY KEY (job_id, path))",
            $"CREATE INDEX IF NOT EXISTS {Index("artifacts_path")} ON {Artifacts} (path)",
            $"CREATE TABLE IF NOT EXISTS {Audit} (id bigserial PRIMARY KEY, \"timestamp\" timestamptz NOT NULL DEFAULT now(), job_id text, action text, space_freed_mb double precision, \"user\" text)",
            $"""
            CREATE TABLE IF NOT EXISTS {Runs} (
                id bigserial PRIMARY KEY, run_id text NOT NULL UNIQUE, trigger text, requested_by text, requested_from text,
                started_at timestamptz NOT NULL, finished_at timestamptz, dry_run boolean NOT NULL, outcome text NOT NULL,
                jobs_scanned bigint NOT NULL, jobs_cleaned bigint NOT NULL, jobs_failed bigint NOT NULL, bytes_freed bigint NOT NULL, error text)
            """,
            $"CREATE INDEX IF NOT EXISTS {Index("runs_started")} ON {Runs} (started_at DESC, run_id DESC)",
        ]);
        yield return (3, "claims and leader leases", [
            $"CREATE TABLE IF NOT EXISTS {Claims} (job_id text PRIMARY KEY, owner text NOT NULL, claimed_until timestamptz NOT NULL)",
            $"CREATE INDEX IF NOT EXISTS {Index("claims_owner")} ON {Claims} (owner)",
            $"CREATE TABLE IF NOT EXISTS {Leases} (name text PRIMARY KEY, holder text NOT NULL, token bigint NOT NULL, expires_at timestamptz NOT NULL)",
        ]);
        yield return (4, "indexes the cleanup queries need", [
            $"CREATE INDEX IF NOT EXISTS {Index(RawJobsTable + "_uncleaned")} ON {Jobs} ({Id}) WHERE {DataCleanedAt} IS NULL",
            $"CREATE INDEX IF NOT EXISTS {Index(RawJobsTable + "_finished")} ON {Jobs} ({Status}, ({FinishedAtExpression})) WHERE {DataCleanedAt} IS NULL",
            $"CREATE INDEX IF NOT EXISTS {Index(RawJobsTable + "_active")} ON {Jobs} ({Status}, {StartedAt})",
            $"CREATE INDEX IF NOT EXISTS {Index(RawJobsTable + "_cleaned")} ON {Jobs} ({DataCleanedAt})",
        ]);
        yield return (5, "holds", [
            $"CREATE TABLE IF NOT EXISTS {Holds} (id text PRIMARY KEY, job_id text NOT NULL, owner text NOT NULL, reason text NOT NULL, created_at timestamptz NOT NULL, expires_at timestamptz)",
            $"CREATE INDEX IF NOT EXISTS {Index("holds_job")} ON {Holds} (job_id, expires_at)",
        ]);

        // A claim's confirmation looks a run's claims up by owner and job together. On the owner alone, the index gave the
        // planner every claim the run had made, dead ones included until autovacuum came by, for each batch: a million-job
        // run's confirmations read hundreds of thousands of entries each, and the run grew with the square of its size.
        yield return (6, "claims found by owner and job", [
            $"CREATE INDEX IF NOT EXISTS {Index("claims_owner_job")} ON {Claims} (owner, job_id)",
            $"DROP INDEX IF EXISTS {Q(RawSchema)}.{Index("claims_owner")}",
        ]);
    }

    private string Own(string table) => Q(RawSchema) + "." + Q(table);

    private static string Index(string name) => Q("ix_retention_" + name);

    private static string Q(string name) => Quote(name);

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex Identifier();
}
