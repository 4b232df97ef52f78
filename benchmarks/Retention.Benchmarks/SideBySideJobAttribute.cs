using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Retention.Benchmarks;

/// <summary>
/// A few single runs in this process, each after the store is reset: the side-by-side store benchmarks take seconds
/// an operation, and a separate benchmark process would have to be built first, which on a busy machine outlasts
/// BenchmarkDotNet's build timeout. Both sides run alike, so the ratio is what counts.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SideBySideJobAttribute(int iterations) : JobConfigBaseAttribute(
    Job.Default.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(1).WithIterationCount(iterations).WithToolchain(InProcessEmitToolchain.Instance));
