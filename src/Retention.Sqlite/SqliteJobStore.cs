using System.Globalization;
using Microsoft.Data.Sqlite;
using Retention.Stores;
using Retention.Stores.Sql;

namespace Retention.Sqlite;

/// <summary>
/// The embedded job store over SQLite: every store capability, on its own <c>jobs.db</c> schema or a host's own jobs
/// table mapped by <see cref="SqliteJobStoreOptions"/>. The schema is created and migrated idempotently at first use;
/// writes go in short <c>BEGIN IMMEDIATE</c> transactions; a locked database is waited on up to
/// <see cref="SqliteJobStoreOptions.BusyTimeout"/>, then reported as transient so the whole batch is retried.
/// </summary>
public sealed partial class SqliteJobStore : IJobStore, IJobPurgeStore, IStaleJobStore, ICleanupRunStore, IJobLookupStore, IReferencedPathStore, IStorageUsageStore, IArtifactUsageStore, IStatusWordStore, ICleanupCandidateCounter, IJobHoldStore, IRecordTrimStore, IDisposable
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNotADatabase = 26;
    private readonly SqliteJobStoreOptions _options;
    private readonly SqliteSchema _schema;
    private readonly string _connectionString;
    private readonly InitializeOnce _initialize = new();
    private bool _hasArtifactsTable;
    private bool _hasRunsTable;
    private bool _hasHoldsTable;
    private bool _hasRequestedFromColumn;
    private bool _hasDataSizeColumn = true;

    /// <summary>Creates the store. Nothing is opened until first use.</summary>
    /// <param name="options">Where the database is and how its jobs table is laid out.</param>
    /// <exception cref="RetentionConfigurationException">A table or column name is not a plain identifier, or another option is invalid.</exception>
    public SqliteJobStore(SqliteJobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        _schema = SqliteSchema.Create(options, errors);
        if (errors.Count > 0)
        {
            throw new RetentionConfigurationException(string.Join(Environment.NewLine, errors));
        }

        _options = options;
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            // Read-only opens read-write with PRAGMA query_only: a truly read-only connection to a WAL database leaves
            // -wal and -shm files behind, while the last read-write connection to close removes them.
            Mode = options.ReadOnly || !options.CreateIfMissing ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
            Pooling = true,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens the database and creates or migrates the schema, if that has not happened yet. Every other method does this first.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="RetentionConfigurationException">The file is missing, is not a SQLite database, or has no usable jobs table.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _initialize.RunAsync(ct => Transient(() => MigrateAsync(ct)), cancellationToken).ConfigureAwait(false);
    }

    // A read-only store on a table without the size column reports sizes as zero rather than failing.
    private string SizeColumn => _hasDataSizeColumn ? _schema.DataSizeMb : "NULL";

    /// <summary>Releases the store's pooled connections, so the database file is closed.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initialize.Dispose();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private SqliteCommand AuditCommand(SqliteConnection connection, SqliteTransaction transaction) =>
        Command(connection, transaction, $"INSERT INTO {_schema.Audit} (timestamp, job_id, action, space_freed_mb, user) VALUES ({AuditTime("@ts")}, @job, @action, {AuditMegabytes("@mb")}, @user)");

    // The audit's columns as SQL expressions over the values the store writes, in the classic form when it is asked for.
    private string AuditTime(string value) => _options.ClassicAuditRows ? $"strftime('%Y-%m-%d %H:%M:%S', {value})" : value;

    private string AuditMegabytes(string value) => _options.ClassicAuditRows ? $"CAST(round({value}) AS INTEGER)" : value;

    private string AuditDataDeleted => _options.ClassicAuditRows ? "'deleted_results'" : "'deleted_data'";

    private static void Set(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (command.Parameters.Contains(name))
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }
            else if (command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // SQLite's own busy handler: a statement meeting a lock waits up to the timeout instead of failing at once.
            await using var busy = connection.CreateCommand();
            // In WAL mode, synchronous=NORMAL keeps the database safe from corruption and syncs at checkpoints rather than at
            // every commit; a power cut can lose the last batches' marks, which the next run re-records (their files are gone).
            // A 512 KiB page cache per connection: the operating system caches the file, and a batch touches few pages; a
            // larger cache marks no faster and costs peak memory (docs/performance.md).
            busy.CommandText = $"PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds};{(_options.ReadOnly ? " PRAGMA query_only = 1;" : " PRAGMA synchronous = NORMAL;")} PRAGMA cache_size = -512;";
            await busy.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // One short BEGIN IMMEDIATE transaction: the write lock is taken up front, so a batch is either all written or, on a
    // lock held past the busy timeout, not written at all and retried whole.
    private async Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken)
    {
        if (_options.ReadOnly)
        {
            throw new RetentionConfigurationException($"The store for '{DatabasePath}' is read-only; it cannot be written.");
        }

        await Transient(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    // A lock held past the busy timeout is transient: the engine retries, and the message says it is SQLite, which lock
    // (SQLITE_BUSY: another connection writes; SQLITE_LOCKED: a conflict within this process) and how long was waited.
    private async Task Transient(Func<Task> work)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            var code = ex.SqliteErrorCode == SqliteBusy ? "SQLITE_BUSY" : "SQLITE_LOCKED";
            throw new TransientRetentionException(string.Create(CultureInfo.InvariantCulture, $"The SQLite database '{DatabasePath}' is locked by another process ({code}); waited {waited:0.0} s."), ex);
        }
    }
}
