using Microsoft.Extensions.DependencyInjection;
using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>Claims of a store shared by replicas: a run skips what another holds, confirms only its own unchanged jobs, and releases them.</summary>
public sealed class ClaimTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private static async Task<List<JobRecord>> StreamAsync(IJobStore store, string owner)
    {
        var jobs = new List<JobRecord>();
        await foreach (var job in store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded], Now.AddDays(-7), 100) { ClaimOwner = owner }))
        {
            jobs.Add(job);
        }

        return jobs;
    }

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task A_run_skips_jobs_another_holds_confirms_only_its_unchanged_ones_and_releases_them(Provider provider)
    {
        await using var db = new TestDatabase<WordJob>(provider);
        await db.CreateAsync();
        await db.AddAsync(Enumerable.Range(0, 1500).Select(i => new JobRecord($"job-{i:D4}", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), StartedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) }));
        var store = new EntityFrameworkCoreSharedJobStore<JobsContext<WordJob>, WordJob>(db.Services, WordJob.Map, TimeSpan.FromMinutes(1));

        var first = await StreamAsync(store, "run-a");
        var second = await StreamAsync(store, "run-b");
        await store.MarkDataCleanedAsync([new JobDataCleaned("job-0001", JobStatus.Succeeded, Now, 0, 0, null)]);
        var confirmed = await store.ConfirmClaimsAsync("run-a", first.Take(3).ToArray());
        var notMine = await store.ConfirmClaimsAsync("run-b", first.Take(3).ToArray());
        await store.ReleaseJobClaimsAsync("run-a", ["job-0002"]);
        var released = await StreamAsync(store, "run-b");
        await store.ReleaseClaimsAsync("run-a");
        var rest = await StreamAsync(store, "run-c");

        Assert.Equal(1500, first.Count);
        Assert.Empty(second);
        Assert.Equal(["job-0000", "job-0002"], confirmed.Order(StringComparer.Ordinal)); // job-0001 was cleaned meanwhile
        Assert.Empty(notMine);
        Assert.Equal(["job-0002"], released.Select(j => j.Id));
        Assert.Equal(1498, rest.Count); // all but the cleaned job and the one run-b holds
        store.Dispose();
    }

    [Fact]
    public void A_claim_timeout_under_ten_seconds_is_refused_at_registration()
    {
        var error = Assert.Throws<RetentionConfigurationException>(() => new ServiceCollection().AddJobCleanup()
            .UseEntityFrameworkCoreStore<JobsContext<WordJob>, WordJob>(WordJob.Map, o => (o.SharedByReplicas, o.ClaimTimeout) = (true, TimeSpan.FromSeconds(2))));

        Assert.Contains("ClaimTimeout: must be at least 10 seconds", error.Message, StringComparison.Ordinal);
    }
}
