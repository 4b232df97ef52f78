using BenchmarkDotNet.Attributes;
using Retention.Sqlite;
using Retention.Stores;

namespace Retention.Benchmarks;

/// <summary>Streaming cleanup candidates from the SQLite store (keyset pages through the partial index).</summary>
[MemoryDiagnoser]
public class SqliteStreamBenchmarks
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    [Params(10_000)]
    public int Jobs { get; set; }

    private string _directory = string.Empty;
    private SqliteJobStore _store = null!;
    private CleanupCandidateQuery _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("retention-bench-db-").FullName;
        _store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = Path.Combine(_directory, "jobs.db") });
        var jobs = Enumerable.Range(0, Jobs).Select(i => new JobRecord($"job-{i:D7}", i % 3 == 0 ? JobStatus.Failed : JobStatus.Succeeded)
        {
            JobType = "eemt",
            CreatedAt = Now.AddDays(-30),
            StartedAt = Now.AddDays(-30),
            CompletedAt = Now.AddDays(-20).AddMinutes(i),
        });
        _store.UpsertAsync(jobs).GetAwaiter().GetResult();
        _query = new CleanupCandidateQuery([JobStatus.Succeeded, JobStatus.Failed], Now.AddDays(-7), 1000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public async Task<int> StreamAllCandidates()
    {
        var count = 0;
        await foreach (var _ in _store.GetCleanupCandidatesAsync(_query))
        {
            count++;
        }

        return count;
    }
}
