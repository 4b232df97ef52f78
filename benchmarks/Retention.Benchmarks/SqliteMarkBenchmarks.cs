using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Retention.Sqlite;
using Retention.Stores;

namespace Retention.Benchmarks;

/// <summary>
/// Recording jobs cleaned in the SQLite store, in batched transactions, beside sqlite3's own one-statement UPDATE of the
/// same rows (the floor): each operation marks 10,000 jobs without files, in batches of <see cref="Batch"/>.
/// </summary>
[MemoryDiagnoser]
public class SqliteMarkBenchmarks
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private string _directory = string.Empty;
    private SqliteJobStore _store = null!;
    private JobDataCleaned[] _jobs = [];

    [Params(100, 1000)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("retention-bench-mark-").FullName;
        _store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = Path.Combine(_directory, "jobs.db") });

        // 100,000 rows, every tenth one marked per operation: marks land spread over the table, as due jobs do.
        var jobs = Enumerable.Range(0, 100_000).Select(i => new JobRecord($"job-{i:D7}", JobStatus.Succeeded)
        {
            CreatedAt = Now.AddDays(-30),
            StartedAt = Now.AddDays(-30),
            CompletedAt = Now.AddDays(-20),
        });
        _store.UpsertAsync(jobs).GetAwaiter().GetResult();
        _jobs = Enumerable.Range(0, 10_000).Select(i => new JobDataCleaned($"job-{i * 10:D7}", JobStatus.Succeeded, Now, 0, 0, "outputs")).ToArray();
    }

    [IterationSetup]
    public void Unmark()
    {
        using var connection = new SqliteConnection($"Data Source={_store.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET data_cleaned_at = NULL; DELETE FROM cleanup_audit;";
        command.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "MarkDataCleanedAsync, 10,000 jobs")]
    public async Task Mark()
    {
        foreach (var chunk in _jobs.Chunk(Batch))
        {
            await _store.MarkDataCleanedAsync(chunk);
        }
    }

    [Benchmark(Baseline = true, Description = "floor: one UPDATE ... WHERE id IN, 10,000 jobs")]
    public int Floor()
    {
        using var connection = new SqliteConnection($"Data Source={_store.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET data_cleaned_at = @at WHERE id IN (SELECT value FROM json_each(@ids))";
        command.Parameters.AddWithValue("@at", "2024-01-20T02:00:00.000000Z");
        command.Parameters.AddWithValue("@ids", System.Text.Json.JsonSerializer.Serialize(_jobs.Select(j => j.JobId)));
        return command.ExecuteNonQuery();
    }
}
