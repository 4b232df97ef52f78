using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.Tests.Stores;

public class InMemoryJobStoreTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private static JobRecord Finished(string id, JobStatus status, int daysAgo, string type = "report") =>
        new(id, status) { JobType = type, CreatedAt = Now.AddDays(-daysAgo - 1), CompletedAt = Now.AddDays(-daysAgo) };

    [Fact]
    public async Task Candidates_are_finished_uncleaned_and_older_than_the_cutoff_oldest_first_with_ranks()
    {
        var store = new InMemoryJobStore();
        store.UpsertRange([
            Finished("r1", JobStatus.Succeeded, 1),
            Finished("r2", JobStatus.Succeeded, 5),
            Finished("r3", JobStatus.Succeeded, 9),
            Finished("f1", JobStatus.Failed, 9),
            Finished("c1", JobStatus.Succeeded, 9) with { DataCleanedAt = Now.AddDays(-1) },
            new JobRecord("run", JobStatus.Running) { CreatedAt = Now.AddDays(-30) },
        ]);

        var candidates = await store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded], Now.AddDays(-2), 2)).ToListAsync();

        Assert.Equal(["r3", "r2"], candidates.Select(c => c.Id));
        Assert.Equal(2, candidates[0].NewerJobsOfSameType); // r1 and r2 are newer
        Assert.Equal(1, candidates[1].NewerJobsOfSameType);
    }

    [Fact]
    public async Task Mark_data_cleaned_skips_a_job_whose_status_changed()
    {
        var store = new InMemoryJobStore();
        store.Upsert(Finished("a", JobStatus.Failed, 3));
        store.Upsert(Finished("b", JobStatus.Failed, 3));

        await store.MarkDataCleanedAsync([
            new JobDataCleaned("a", JobStatus.Failed, Now, 10, 1, "rule"),
            new JobDataCleaned("b", JobStatus.Succeeded, Now, 10, 1, "rule"),
        ]);

        Assert.Equal(Now, store.Find("a")!.DataCleanedAt);
        Assert.Null(store.Find("b")!.DataCleanedAt);
        Assert.Equal(10, store.FindTombstone("a")!.BytesFreed);
    }

    [Fact]
    public async Task Try_fail_is_a_compare_and_set()
    {
        var store = new InMemoryJobStore();
        store.Upsert(new JobRecord("a", JobStatus.Running) { CreatedAt = Now });

        Assert.False(await store.TryFailJobAsync(new JobFailure("a", JobStatus.Pending, "x", Now)));
        Assert.True(await store.TryFailJobAsync(new JobFailure("a", JobStatus.Running, "stuck", Now)));
        Assert.False(await store.TryFailJobAsync(new JobFailure("missing", JobStatus.Running, "x", Now)));
        Assert.Equal(JobStatus.Failed, store.Find("a")!.Status);
        Assert.Equal("stuck", store.Find("a")!.ErrorMessage);
    }
}
