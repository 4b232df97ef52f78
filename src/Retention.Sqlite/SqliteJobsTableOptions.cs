using Retention.Stores;

namespace Retention.Sqlite;

/// <summary>Where the SQLite store finds jobs: the table and column names, defaulting to the store's own <c>jobs.db</c> schema.</summary>
public sealed class SqliteJobsTableOptions : JobsTableColumns
{
}
