using Retention.Stores;

namespace Retention.PostgreSql;

/// <summary>
/// Where the PostgreSQL store finds jobs: the table and column names, defaulting to the store's own <c>jobs</c> table in
/// the default layout (created when missing). Ids may be text, integer or uuid; times <c>timestamp</c> (read as UTC) or
/// <c>timestamptz</c>; statuses text or an enum.
/// </summary>
public sealed class PostgresJobsTableOptions : JobsTableColumns
{
    /// <summary>The jobs table's schema; empty for the store's own <see cref="PostgresJobStoreOptions.Schema"/>.</summary>
    public string? Schema { get; set; }
}
