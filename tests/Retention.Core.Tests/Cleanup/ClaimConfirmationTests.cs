using Microsoft.Extensions.DependencyInjection;
using Moq;
using Retention.Cleanup;
using Retention.Policies;
using Retention.Stores;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

/// <summary>
/// A shared store's claims (<see cref="IJobClaimStore"/>): the engine deletes and records only jobs whose claim it
/// confirmed, and confirms the jobs with nothing left to delete together, not with a round trip each.
/// </summary>
public sealed class ClaimConfirmationTests : IDisposable
{
    private readonly CleanupHarness _h = new();
    private readonly Mock<IJobClaimStore> _claims = new(MockBehavior.Strict);
    private readonly List<string[]> _confirmCalls = [];
    private readonly List<string[]> _releaseCalls = [];

    public ClaimConfirmationTests()
    {
        // Another instance took job-gone-3's claim after this run read it: it is confirmed for none of the calls.
        _claims.Setup(c => c.ConfirmClaimsAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<JobRecord>>(), It.IsAny<CancellationToken>()))
            .Returns((string _, IReadOnlyList<JobRecord> jobs, CancellationToken _) =>
            {
                lock (_confirmCalls)
                {
                    _confirmCalls.Add(jobs.Select(j => j.Id).ToArray());
                }

                return ValueTask.FromResult<IReadOnlySet<string>>(jobs.Select(j => j.Id).Where(id => id is not ("job-gone-3" or "job-taken")).ToHashSet());
            });
        _claims.Setup(c => c.ReleaseClaimsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(ValueTask.CompletedTask);
        _claims.Setup(c => c.ReleaseJobClaimsAsync(It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string _, IReadOnlyCollection<string> ids, CancellationToken _) =>
            {
                lock (_releaseCalls)
                {
                    _releaseCalls.Add([.. ids]);
                }

                return ValueTask.CompletedTask;
            });
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Jobs_with_nothing_left_to_delete_are_confirmed_in_one_call_and_a_job_not_confirmed_is_not_marked()
    {
        var gone = Enumerable.Range(1, 6).Select(i => $"job-gone-{i}").ToArray();
        foreach (var id in gone)
        {
            // Due long ago; its files went with an earlier cleanup that could not record it.
            _h.Store.Upsert(new JobRecord(id, JobStatus.Succeeded) { CreatedAt = CleanupHarness.Now.AddDays(-30), StartedAt = CleanupHarness.Now.AddDays(-30), CompletedAt = CleanupHarness.Now.AddDays(-20) });
        }

        _h.SeedJob("job-files", JobStatus.Succeeded, TimeSpan.FromDays(20));
        _h.SeedJob("job-taken", JobStatus.Succeeded, TimeSpan.FromDays(20));
        _h.Build(store: b => b.UseInMemoryStore(_h.Store).Services.AddSingleton(_claims.Object));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        // One call for the six without files; one per job with files, just before its deletion.
        Assert.Equal(3, _confirmCalls.Count);
        Assert.Equal(gone, _confirmCalls.Single(c => c.Length > 1).Order());
        Assert.Equal(["job-files", "job-taken"], _confirmCalls.Where(c => c.Length == 1).Select(c => c[0]).Order());

        Assert.Null(_h.Store.Find("job-gone-3")!.DataCleanedAt);
        Assert.All(gone.Where(id => id != "job-gone-3"), id => Assert.NotNull(_h.Store.Find(id)!.DataCleanedAt));
        Assert.NotNull(_h.Store.Find("job-files")!.DataCleanedAt);
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "job-files")));

        // The job another instance holds keeps its files and its record.
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "job-taken")));
        Assert.Null(_h.Store.Find("job-taken")!.DataCleanedAt);
        Assert.Equal(6, report.Stats.JobsCleaned);
        Assert.Equal(2, report.Stats.JobsSkipped);
        Assert.Equal(["job-gone-3", "job-taken"], _h.Logs.Entries.Where(e => e.Event.Name == "JobChangedSincePlanned").Select(e => e.Message.Split(' ')[1]).Order());
        _claims.Verify(c => c.ReleaseClaimsAsync(report.RunId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_claimed_job_the_plan_leaves_alone_is_released_with_its_batch_not_at_the_end_of_the_run()
    {
        // Succeeded eemt jobs go after a day, succeeded "other" jobs after 30: the store's filter (by status) streams the
        // five-day-old job of another type, which no rule has run out for yet.
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("eemt", r => r.ForStatus(JobStatus.Succeeded).ForJobTypes("eemt").RetainFor(TimeSpan.FromDays(1)))
            .AddRule("others", r => r.ForStatus(JobStatus.Succeeded).ForJobTypes("other").RetainFor(TimeSpan.FromDays(30)))
            .Build();
        _h.SeedJob("job-eemt", JobStatus.Succeeded, TimeSpan.FromDays(5));
        _h.Store.Upsert(new JobRecord("job-other", JobStatus.Succeeded) { JobType = "other", CreatedAt = CleanupHarness.Now.AddDays(-6), CompletedAt = CleanupHarness.Now.AddDays(-5) });
        _h.Build(store: b => b.UseInMemoryStore(_h.Store).Services.AddSingleton(_claims.Object));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = policy });

        Assert.Equal((1L, 1L), (report.Stats.JobsCleaned, report.Stats.JobsSkipped));
        Assert.Equal(["job-other"], Assert.Single(_releaseCalls));
        Assert.Null(_h.Store.Find("job-other")!.DataCleanedAt);
    }

    [Fact]
    public async Task A_dry_run_confirms_no_claims()
    {
        _h.Store.Upsert(new JobRecord("job-gone", JobStatus.Succeeded) { CreatedAt = CleanupHarness.Now.AddDays(-30), CompletedAt = CleanupHarness.Now.AddDays(-20) });
        _h.SeedJob("job-files", JobStatus.Succeeded, TimeSpan.FromDays(20));
        _h.Build(store: b => b.UseInMemoryStore(_h.Store).Services.AddSingleton(_claims.Object));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default with { DryRun = true });

        Assert.Equal(2, report.Stats.JobsCleaned);
        Assert.Empty(_confirmCalls);
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "job-files")));
    }
}
