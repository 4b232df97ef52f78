using BenchmarkDotNet.Attributes;
using Retention.Policies;

namespace Retention.Benchmarks;

/// <summary>Policy evaluation: one decision per artifact (the engine's inner loop) and one per job.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private const int Jobs = 1024;
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);
    private readonly RetentionPolicy _policy = RetentionPolicy.Default;
    private JobRecord[] _jobs = [];
    private JobArtifact[] _artifacts = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _jobs = new JobRecord[Jobs];
        _artifacts = new JobArtifact[Jobs];
        for (var i = 0; i < Jobs; i++)
        {
            var status = (JobStatus)random.Next(0, 6);
            var age = TimeSpan.FromHours(random.Next(0, 24 * 30));
            _artifacts[i] = new JobArtifact(i % 2 == 0 ? ArtifactKind.Input : ArtifactKind.Output, $"/srv/results/job-{i}");
            _jobs[i] = new JobRecord($"job-{i}", status)
            {
                JobType = "eemt",
                CreatedAt = Now - age - TimeSpan.FromHours(1),
                StartedAt = Now - age - TimeSpan.FromMinutes(30),
                CompletedAt = status.IsActive() ? null : Now - age,
                Artifacts = [_artifacts[i]],
            };
        }
    }

    /// <summary>1024 artifact decisions per call; divide by 1024 for one.</summary>
    [Benchmark(OperationsPerInvoke = Jobs)]
    public int Decide()
    {
        var due = 0;
        for (var i = 0; i < Jobs; i++)
        {
            if (_policy.Decide(_jobs[i], _artifacts[i], Now).Verdict == ArtifactVerdict.Delete)
            {
                due++;
            }
        }

        return due;
    }

    /// <summary>1024 whole-job evaluations per call (allocates the decision object the engine reports).</summary>
    [Benchmark(OperationsPerInvoke = Jobs)]
    public int Evaluate()
    {
        var due = 0;
        for (var i = 0; i < Jobs; i++)
        {
            if (_policy.Evaluate(_jobs[i], Now).HasDueArtifacts)
            {
                due++;
            }
        }

        return due;
    }
}
