using Retention.Stores;
using Xunit;

namespace Retention.Testing;

/// <summary>
/// What every <see cref="IStorageUsageStore"/> and <see cref="ICleanupCandidateCounter"/> must do. Derive from it and say how to
/// make a store holding the given jobs.
/// </summary>
/// <typeparam name="TStore">The store under test.</typeparam>
public abstract class StorageUsageContract<TStore>
    where TStore : IStorageUsageStore, ICleanupCandidateCounter, IJobStore
{
    /// <summary>The instant the jobs are placed around.</summary>
    protected static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A store holding <paramref name="jobs"/>, as its own upsert writes them.</summary>
    protected abstract Task<TStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs);

    private Task<TStore> CreateStoreAsync(params (string Id, JobStatus Status, TimeSpan Age, long Bytes, bool Cleaned)[] jobs) =>
        CreateStoreAsync(jobs.Select(j => new JobRecord(j.Id, j.Status)
        {
            JobType = "eemt",
            CreatedAt = Now - j.Age - TimeSpan.FromHours(1),
            StartedAt = Now - j.Age - TimeSpan.FromMinutes(30),
            CompletedAt = j.Status.IsActive() ? null : Now - j.Age,
            DataCleanedAt = j.Cleaned ? Now - TimeSpan.FromHours(1) : null,
            Artifacts = [new JobArtifact(ArtifactKind.Output, $"results/{j.Id}", j.Bytes)],
        }).ToArray());

    /// <summary>
    /// The contract tests of this class are found by xunit (they are not when the suite's files are copied into another
    /// assembly instead of referenced: then this test fails and says so).
    /// </summary>
    [Fact]
    public void Its_contract_tests_are_discovered() => ContractDiscovery.AssertContractTestsAreFound();

    /// <summary>Usage counts only jobs whose data is not cleaned, by status, with their bytes.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task Usage_counts_only_jobs_not_cleaned_by_status_with_their_bytes()
    {
        var store = await CreateStoreAsync(
            ("a", JobStatus.Succeeded, TimeSpan.FromDays(8), 2 * 1048576, false),
            ("b", JobStatus.Succeeded, TimeSpan.FromDays(1), 1048576, false),
            ("c", JobStatus.Failed, TimeSpan.FromDays(1), 1048576, true),
            ("d", JobStatus.Running, TimeSpan.FromHours(1), 4 * 1048576, false));

        var usage = (await store.GetStorageUsageAsync()).ToDictionary(u => u.Status, u => (u.Jobs, u.Bytes), StringComparer.OrdinalIgnoreCase);

        Assert.Equal(2, usage.Count);
        Assert.Equal((2L, 3L * 1048576), usage.Single(u => u.Key is "succeeded" or "completed").Value);
        Assert.Equal((1L, 4L * 1048576), usage["running"]);
    }

    /// <summary>The candidate count matches the candidate stream.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task The_candidate_count_matches_the_candidate_stream()
    {
        var store = await CreateStoreAsync(
            ("old-1", JobStatus.Succeeded, TimeSpan.FromDays(8), 10, false),
            ("old-2", JobStatus.Failed, TimeSpan.FromDays(9), 10, false),
            ("young", JobStatus.Succeeded, TimeSpan.FromDays(1), 10, false),
            ("done", JobStatus.Succeeded, TimeSpan.FromDays(9), 10, true),
            ("active", JobStatus.Running, TimeSpan.FromDays(9), 10, false));
        var query = new CleanupCandidateQuery([JobStatus.Succeeded, JobStatus.Failed], Now - TimeSpan.FromDays(7), 100);

        var counted = await store.CountCleanupCandidatesAsync(query);
        var streamed = new List<string>();
        await foreach (var job in store.GetCleanupCandidatesAsync(query))
        {
            streamed.Add(job.Id);
        }

        Assert.Equal(2, counted);
        Assert.Equal(["old-1", "old-2"], streamed.Order(StringComparer.Ordinal));
    }
}
