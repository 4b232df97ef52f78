using BenchmarkDotNet.Attributes;
using Retention.Deletion;

namespace Retention.Benchmarks;

/// <summary>The deleter's lexical check of a path against its roots (every deletion pays it first).</summary>
[MemoryDiagnoser]
public class PathSafetyBenchmarks
{
    private SafeDeleter _deleter = null!;
    private string _root = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("retention-bench-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "uploads"));
        Directory.CreateDirectory(Path.Combine(_root, "results"));
        _deleter = new SafeDeleter([Path.Combine(_root, "uploads"), Path.Combine(_root, "results")]);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark]
    public string? InsideARoot() => _deleter.CheckLexically(Path.Combine(_root, "results", "job-20240115-123456", "out.tif"));

    [Benchmark]
    public string? EscapingARoot() => _deleter.CheckLexically(Path.Combine(_root, "results", "..", "..", "etc", "passwd"));
}
