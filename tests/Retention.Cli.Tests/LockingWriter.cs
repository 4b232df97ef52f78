using System.Text;
using Microsoft.Data.Sqlite;

namespace Retention.Cli.Tests;

/// <summary>
/// The tool's output, which takes the database's write lock from another connection (as another process would) the
/// moment the tool says it has deleted a file (a --debug line): the job's files go, the lock is there when the tool
/// records them.
/// </summary>
internal sealed class LockingWriter(string database, string onLine) : StringWriter
{
    private readonly object _gate = new();
    private SqliteConnection? _holder;
    private SqliteTransaction? _writeLock;

    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            base.WriteLine(value);
            if (_holder is null && value is not null && value.Contains(onLine, StringComparison.Ordinal))
            {
                _holder = new SqliteConnection($"Data Source={database};Pooling=False");
                _holder.Open();
                _writeLock = _holder.BeginTransaction(deferred: false); // BEGIN IMMEDIATE, held until Release
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }

    /// <summary>Whether the lock was taken.</summary>
    public bool Locked => _holder is not null;

    /// <summary>The other process lets go.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _writeLock?.Rollback();
            _writeLock?.Dispose();
            _holder?.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }
}
