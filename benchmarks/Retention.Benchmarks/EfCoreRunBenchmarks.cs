using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;

namespace Retention.Benchmarks;

/// <summary>
/// A whole real cleanup run over the same 100,000 jobs (90,000 due, their data long gone: each is streamed, planned and
/// marked): the engine over the EF Core store beside the engine over the hand-written SQLite store (the baseline).
/// </summary>
[MemoryDiagnoser]
[SideBySideJob(iterations: 5)]
public class EfCoreRunBenchmarks
{
    private SideBySideStores _stores = null!;

    [GlobalSetup]
    public void Setup() => _stores = new SideBySideStores(100_000);

    [IterationSetup]
    public void Unmark() => _stores.Unmark();

    [GlobalCleanup]
    public void Cleanup() => _stores.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written SQLite store: real run, 100,000 jobs")]
    public Task<CleanupReport> HandWritten() => _stores.HandWritten.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

    [Benchmark(Description = "EF Core store on SQLite: real run, 100,000 jobs")]
    public Task<CleanupReport> EfCore() => _stores.EfCore.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
}
