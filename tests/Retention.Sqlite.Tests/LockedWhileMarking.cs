using Microsoft.Data.Sqlite;
using Retention.Stores;

namespace Retention.Sqlite.Tests;

/// <summary>
/// The SQLite store, with another connection (as another process would) taking the database's write lock when the run
/// first marks jobs cleaned: their files are deleted, their records not yet written. The lock is released after a given
/// number of failed marks, or when the test says.
/// </summary>
internal sealed class LockedWhileMarking(SqliteJobStore inner, string connectionString, int releaseAfterFailedMarks = int.MaxValue) : IJobStore, IDisposable
{
    private readonly object _gate = new();
    private SqliteConnection? _holder;
    private SqliteTransaction? _writeLock;
    private bool _locked;

    /// <summary>Marks that failed because of the lock.</summary>
    public int FailedMarks { get; private set; }

    public IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default) =>
        inner.GetCleanupCandidatesAsync(query, cancellationToken);

    public async ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_locked)
            {
                _locked = true;
                _holder = new SqliteConnection(connectionString);
                _holder.Open();
                _writeLock = _holder.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, held
            }

            if (FailedMarks == releaseAfterFailedMarks)
            {
                Release();
            }
        }

        try
        {
            await inner.MarkDataCleanedAsync(jobs, cancellationToken);
        }
        catch (TransientRetentionException)
        {
            lock (_gate)
            {
                FailedMarks++;
            }

            throw;
        }
    }

    /// <summary>The other process commits and lets go.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _writeLock?.Rollback();
            _writeLock?.Dispose();
            _holder?.Dispose();
            _writeLock = null;
            _holder = null;
        }
    }

    public void Dispose() => Release();
}
