using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Retention.Sqlite;
using Retention.Stores;

namespace Retention.Benchmarks;

/// <summary>
/// The live run's candidate query over a million due jobs, on three copies of one database streamed side by side: one
/// from before holds (no holds table, so no <c>NOT EXISTS</c> in the query), one with the holds table and no hold, one
/// with a hold on every tenth job (half of them with an end after the run's instant). All three are opened read-only, so
/// the one without the table stays without it (a writable store creates it at start) and all three read alike.
/// </summary>
[MemoryDiagnoser]
[SideBySideJob(iterations: 5)]
public class SqliteHeldCandidatesBenchmarks
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private string _directory = string.Empty;
    private SqliteJobStore _withoutHoldsTable = null!;
    private SqliteJobStore _withoutHolds = null!;
    private SqliteJobStore _tenPercentHeld = null!;
    private CleanupCandidateQuery _query = null!;

    [Params(1_000_000)]
    public int Jobs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("retention-bench-holds-").FullName;
        var plain = Path.Combine(_directory, "plain.db");
        var noTable = Path.Combine(_directory, "no-holds-table.db");
        var held = Path.Combine(_directory, "held.db");
        using (var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = plain }))
        {
            var jobs = Enumerable.Range(0, Jobs).Select(i => new JobRecord($"job-{i:D7}", i % 3 == 0 ? JobStatus.Failed : JobStatus.Succeeded)
            {
                CreatedAt = Now.AddDays(-30),
                StartedAt = Now.AddDays(-30),
                CompletedAt = Now.AddDays(-20),
            });
            store.UpsertAsync(jobs).GetAwaiter().GetResult();
        }

        SqliteConnection.ClearAllPools();
        File.Copy(plain, held);
        File.Copy(plain, noTable);
        using (var connection = new SqliteConnection($"Data Source={noTable};Pooling=False"))
        {
            // A database from before holds: the store finds no holds table and leaves the clause out.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE job_holds";
            command.ExecuteNonQuery();
        }

        using (var connection = new SqliteConnection($"Data Source={held};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();

            // Every tenth job held, half of the holds with an end after the run's instant (still in force).
            command.CommandText = """
                INSERT INTO job_holds (id, job_id, owner, reason, created_at, expires_at)
                SELECT 'hold-' || id, id, 'bench', 'benchmark', '2024-01-01T00:00:00.000000Z',
                       CASE WHEN rowid % 20 = 0 THEN '2024-02-01T00:00:00.000000Z' END
                FROM jobs WHERE rowid % 10 = 0
                """;
            command.ExecuteNonQuery();
        }

        _withoutHoldsTable = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = noTable, ReadOnly = true });
        _withoutHolds = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = plain, ReadOnly = true });
        _tenPercentHeld = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = held, ReadOnly = true });
        _query = new CleanupCandidateQuery([JobStatus.Succeeded, JobStatus.Failed], Now.AddDays(-7), 1000) { ExcludeHeldAt = Now };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _withoutHoldsTable.Dispose();
        _withoutHolds.Dispose();
        _tenPercentHeld.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "no holds table")]
    public Task<int> WithoutHoldsTable() => CountAsync(_withoutHoldsTable);

    [Benchmark(Description = "holds table, no hold")]
    public Task<int> WithoutHolds() => CountAsync(_withoutHolds);

    [Benchmark(Description = "every tenth job held")]
    public Task<int> TenPercentHeld() => CountAsync(_tenPercentHeld);

    private async Task<int> CountAsync(SqliteJobStore store)
    {
        var count = 0;
        await foreach (var _ in store.GetCleanupCandidatesAsync(_query))
        {
            count++;
        }

        return count;
    }
}
