using Retention.Stores;

namespace Retention.Sqlite;

/// <summary>Where the SQLite store finds jobs: the table and column names, defaulting to the seed's <c>jobs.db</c>.</summary>
public sealed class SqliteJobsTableOptions : JobsTableColumns
{
}
