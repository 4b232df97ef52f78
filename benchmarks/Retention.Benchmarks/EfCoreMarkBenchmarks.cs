using BenchmarkDotNet.Attributes;
using Retention.Stores;

namespace Retention.Benchmarks;

/// <summary>
/// Marking 10,000 of the same 100,000 jobs cleaned, in batches of 1,000 as a run does: the EF Core store (one
/// <c>ExecuteUpdate</c> per batch) beside the hand-written SQLite store (the baseline).
/// </summary>
[MemoryDiagnoser]
[SideBySideJob(iterations: 10)]
public class EfCoreMarkBenchmarks
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);
    private SideBySideStores _stores = null!;
    private JobDataCleaned[] _jobs = [];

    [GlobalSetup]
    public void Setup()
    {
        _stores = new SideBySideStores(100_000);
        _jobs = Enumerable.Range(0, 10_000).Select(i => new JobDataCleaned($"job-{i * 10:D7}", JobStatus.Succeeded, Now, 0, 0, "outputs")).ToArray();
    }

    [IterationSetup]
    public void Unmark() => _stores.Unmark();

    [GlobalCleanup]
    public void Cleanup() => _stores.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written SQLite store: mark 10,000 jobs")]
    public async Task HandWritten()
    {
        foreach (var chunk in _jobs.Chunk(1000))
        {
            await _stores.HandWrittenStore.MarkDataCleanedAsync(chunk);
        }
    }

    [Benchmark(Description = "EF Core store on SQLite: mark 10,000 jobs")]
    public async Task EfCore()
    {
        foreach (var chunk in _jobs.Chunk(1000))
        {
            await _stores.EfCoreStore.MarkDataCleanedAsync(chunk);
        }
    }
}
