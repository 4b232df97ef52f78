using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>Status values beyond the first of a status, and values no status has.</summary>
public sealed class StatusValueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase<WordJob> _db = new(Provider.Sqlite);

    public async Task InitializeAsync()
    {
        await _db.CreateAsync();
        await using var context = await _db.OpenAsync();
        foreach (var (id, state) in new[] { ("crashed-job", "crashed"), ("error-job", "error"), ("odd-job", "paused"), ("stuck-job", "running") })
        {
            context.Jobs.Add(new WordJob { Id = id, State = state, CreatedAt = Now.AddDays(-9).UtcDateTime, StartedAt = Now.AddDays(-9).UtcDateTime, FinishedAt = state == "running" ? null : Now.AddDays(-8).UtcDateTime, SizeBytes = 10 });
        }

        await context.SaveChangesAsync();
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_value_of_a_status_is_read_and_marked_as_it_and_an_unmapped_value_is_never_a_candidate()
    {
        var store = _db.NewStore();
        var query = new CleanupCandidateQuery([JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled], Now.AddDays(-7), 100);

        var candidates = new List<JobRecord>();
        await foreach (var job in store.GetCleanupCandidatesAsync(query))
        {
            candidates.Add(job);
        }

        await store.MarkDataCleanedAsync(candidates.Select(j => new JobDataCleaned(j.Id, j.Status, Now, 0, 0, null)).ToArray());
        var odd = await store.FindJobAsync("odd-job");
        var usage = await store.GetStorageUsageAsync();

        Assert.Equal([("crashed-job", JobStatus.Failed), ("error-job", JobStatus.Failed)], candidates.Select(j => (j.Id, j.Status)).OrderBy(p => p.Id, StringComparer.Ordinal));
        Assert.Equal((JobStatus.Running, "paused"), (odd!.Status, odd.UnmappedStatus));
        Assert.Equal([new StorageUsage("paused", 1, 10), new StorageUsage("running", 1, 10)], usage);
    }

    [Fact]
    public async Task The_reaper_writes_the_first_value_of_failed_and_only_over_the_status_it_saw()
    {
        var store = _db.NewStore();

        var stale = new List<JobRecord>();
        await foreach (var job in store.GetStaleJobsAsync(new StaleJobQuery([JobStatus.Running], Now)))
        {
            stale.Add(job);
        }

        var wrongStatus = await store.TryFailJobAsync(new JobFailure("stuck-job", JobStatus.Pending, "never", Now));
        var failed = await store.TryFailJobAsync(new JobFailure("stuck-job", JobStatus.Running, "Execution stuck.", Now));

        Assert.Equal(["stuck-job"], stale.Select(j => j.Id));
        Assert.False(wrongStatus);
        Assert.True(failed);
        await using var context = await _db.OpenAsync();
        var row = await context.Jobs.SingleAsync(j => j.Id == "stuck-job");
        Assert.Equal(("error", "Execution stuck.", Now.UtcDateTime), (row.State, row.Error, row.FinishedAt));
    }
}
