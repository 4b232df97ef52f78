using Retention.Stores;
using Xunit;

namespace Retention.Testing;

/// <summary>
/// What a job store must do for the engine and the reaper: stream exactly the candidates and mark only jobs still in the
/// status they were planned in (every store); and, for each optional capability it implements, look jobs up, purge only
/// in the planned status, fail a stale job only if it has not moved on, and list every id and path the orphan sweep must
/// spare. The tests of a capability the store does not implement are reported skipped, with the reason. Derive from it
/// and say how to make a store holding the given jobs.
/// </summary>
/// <typeparam name="TStore">The store under test.</typeparam>
public abstract class JobStoreContract<TStore>
    where TStore : IJobStore
{
    /// <summary>The instant the jobs are placed around.</summary>
    protected static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private static readonly CleanupCandidateQuery Due = new([JobStatus.Succeeded, JobStatus.Failed], Now - TimeSpan.FromDays(7), 2);

    /// <summary>A store holding <paramref name="jobs"/>, as its own upsert writes them.</summary>
    protected abstract Task<TStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs);

    private static JobRecord Job(string id, JobStatus status, TimeSpan age, bool cleaned = false, params JobArtifact[] artifacts) => new(id, status)
    {
        JobType = "eemt",
        CreatedAt = Now - age - TimeSpan.FromHours(2),
        StartedAt = Now - age - TimeSpan.FromHours(1),
        CompletedAt = status.IsActive() ? null : Now - age,
        DataCleanedAt = cleaned ? Now - TimeSpan.FromDays(1) : null,
        Artifacts = artifacts,
    };

    private static async Task<List<JobRecord>> ListAsync(IAsyncEnumerable<JobRecord> jobs)
    {
        var list = new List<JobRecord>();
        await foreach (var job in jobs)
        {
            list.Add(job);
        }

        return list;
    }

    /// <summary>
    /// The contract tests of this class are found by xunit (they are not when the suite's files are copied into another
    /// assembly instead of referenced: then this test fails and says so).
    /// </summary>
    [Fact]
    public void Its_contract_tests_are_discovered() => ContractDiscovery.AssertContractTestsAreFound();

    /// <summary>Candidates are exactly the finished, uncleaned jobs past the cutoff, across pages, with their artifacts.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task Candidates_are_the_finished_uncleaned_jobs_past_the_cutoff_across_pages_with_their_artifacts()
    {
        var store = await CreateStoreAsync([
            Job("a", JobStatus.Succeeded, TimeSpan.FromDays(8), artifacts: new JobArtifact(ArtifactKind.Output, "results/a", 4096)),
            Job("b", JobStatus.Failed, TimeSpan.FromDays(9)),
            Job("c", JobStatus.Succeeded, TimeSpan.FromDays(10)),
            Job("young", JobStatus.Succeeded, TimeSpan.FromDays(1)),
            Job("cleaned", JobStatus.Succeeded, TimeSpan.FromDays(9), cleaned: true),
            Job("running", JobStatus.Running, TimeSpan.FromDays(9)),
            Job("cancelled", JobStatus.Cancelled, TimeSpan.FromDays(9))]);

        var jobs = await ListAsync(store.GetCleanupCandidatesAsync(Due));

        Assert.Equal(["a", "b", "c"], jobs.Select(j => j.Id).Order(StringComparer.Ordinal));
        var a = jobs.Single(j => j.Id == "a");
        Assert.Equal((JobStatus.Succeeded, "eemt", Now - TimeSpan.FromDays(8)), (a.Status, a.JobType, a.CompletedAt));
        Assert.Equal(("results/a", 4096L), (a.Artifacts.Single().Path, a.Artifacts.Single().SizeBytes));
    }

    /// <summary>Marking a job cleaned takes it out of the candidates, but not a job whose status changed since it was planned.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task Marking_cleaned_takes_a_job_out_of_the_candidates_but_not_one_whose_status_changed()
    {
        var store = await CreateStoreAsync([Job("a", JobStatus.Succeeded, TimeSpan.FromDays(8)), Job("b", JobStatus.Failed, TimeSpan.FromDays(8))]);

        await store.MarkDataCleanedAsync([
            new JobDataCleaned("a", JobStatus.Succeeded, Now, 1024, 1, "default"),
            new JobDataCleaned("b", JobStatus.Succeeded, Now, 1024, 1, "default"),
            new JobDataCleaned("unknown", JobStatus.Succeeded, Now, 0, 0, null)]);

        Assert.Equal(["b"], (await ListAsync(store.GetCleanupCandidatesAsync(Due))).Select(j => j.Id));
    }

    /// <summary>A job is found by its id, with the time its data was marked cleaned; an unknown id finds nothing.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact(Requires = typeof(IJobLookupStore))]
    public async Task A_job_is_found_by_id_with_its_cleaned_time_and_an_unknown_one_is_not()
    {
        var store = await CreateStoreAsync([Job("a", JobStatus.Succeeded, TimeSpan.FromDays(8)), Job("b", JobStatus.Failed, TimeSpan.FromDays(8))]);
        var lookup = (IJobLookupStore)store;

        await store.MarkDataCleanedAsync([new JobDataCleaned("a", JobStatus.Succeeded, Now, 1024, 1, "default"), new JobDataCleaned("b", JobStatus.Succeeded, Now, 1024, 1, "default")]);

        Assert.Equal(Now, (await lookup.FindJobAsync("a"))!.DataCleanedAt);
        Assert.Null((await lookup.FindJobAsync("b"))!.DataCleanedAt);
        Assert.Null(await lookup.FindJobAsync("never-existed"));
    }

    /// <summary>A stale job is listed, and failed only while it is still in the status it was seen in (compare-and-set).</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact(Requires = typeof(IStaleJobStore))]
    public async Task A_stale_job_is_failed_only_while_it_is_still_in_the_status_it_was_seen_in()
    {
        var jobs = await CreateStoreAsync([Job("stuck", JobStatus.Running, TimeSpan.FromHours(3)), Job("fresh", JobStatus.Running, TimeSpan.FromMinutes(1))]);
        var store = (IStaleJobStore)jobs;

        var stale = await ListAsync(store.GetStaleJobsAsync(new StaleJobQuery([JobStatus.Running], Now - TimeSpan.FromHours(2))));
        var failed = await store.TryFailJobAsync(new JobFailure("stuck", JobStatus.Running, "Execution stuck for 3:00:00.", Now));
        var again = await store.TryFailJobAsync(new JobFailure("stuck", JobStatus.Running, "second", Now));

        Assert.Equal(["stuck"], stale.Select(j => j.Id));
        Assert.True(failed);
        Assert.False(again);
        if (jobs is IJobLookupStore lookup)
        {
            var job = await lookup.FindJobAsync("stuck");
            Assert.Equal((JobStatus.Failed, "Execution stuck for 3:00:00.", Now), (job!.Status, job.ErrorMessage, job.CompletedAt));
        }
    }

    /// <summary>Purging deletes a record only while it is in the planned status.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact(Requires = typeof(IJobPurgeStore))]
    public async Task Purging_deletes_the_record_only_in_the_planned_status()
    {
        var store = await CreateStoreAsync([Job("a", JobStatus.Failed, TimeSpan.FromDays(8)), Job("b", JobStatus.Failed, TimeSpan.FromDays(8))]);

        await ((IJobPurgeStore)store).PurgeJobsAsync([new JobDataCleaned("a", JobStatus.Failed, Now, 0, 0, "purge"), new JobDataCleaned("b", JobStatus.Succeeded, Now, 0, 0, "purge")]);

        // Purged or not, a record is no candidate here (both failed 8 days ago, not yet cleaned): the lookup says which is left.
        var remaining = (await ListAsync(store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Failed], Now, 10)))).Select(j => j.Id);
        Assert.Equal(["b"], remaining);
    }

    /// <summary>A job takes several holds; they are listed by job and all together, found with the job, and released one at a time.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact(Requires = typeof(IJobHoldStore))]
    public async Task Several_holds_on_one_job_are_listed_found_with_the_job_and_released_one_at_a_time()
    {
        var store = await CreateStoreAsync([Job("a", JobStatus.Succeeded, TimeSpan.FromDays(8)), Job("b", JobStatus.Succeeded, TimeSpan.FromDays(8))]);
        var holds = (IJobHoldStore)store;
        var legal = new JobHold("alice", "legal hold") { JobId = "a", CreatedAt = Now - TimeSpan.FromHours(2) };
        var review = new JobHold("bob", "paper review", Now + TimeSpan.FromDays(3)) { JobId = "a", CreatedAt = Now - TimeSpan.FromHours(1) };
        var other = new JobHold("carol", "audit", Now + TimeSpan.FromDays(1)) { JobId = "b", CreatedAt = Now };
        foreach (var hold in new[] { legal, review, other })
        {
            await holds.AddHoldAsync(hold);
        }

        Assert.Equal([legal, review], await holds.GetHoldsAsync("a", Now));
        Assert.Equal([legal, review, other], await holds.GetHoldsAsync(null, Now));
        Assert.Equal([legal, review, other], (await holds.GetHoldsOfJobsAsync(["b", "a", "missing"], Now)).Order(HoldOrder.Instance));
        Assert.Equal([legal, review], (await holds.GetHoldsOfJobsAsync(["a", "b"], Now + TimeSpan.FromDays(2))).Order(HoldOrder.Instance)); // carol's has ended
        Assert.Empty(await holds.GetHoldsOfJobsAsync([], Now));
        if (store is IJobLookupStore lookup)
        {
            Assert.Equal([legal, review], (await lookup.FindJobAsync("a"))!.Holds.Order(HoldOrder.Instance));
        }

        Assert.Equal(legal, await holds.ReleaseHoldAsync(legal.Id, "alice", Now));
        Assert.Null(await holds.ReleaseHoldAsync(legal.Id, "alice", Now));
        Assert.Equal([review], await holds.GetHoldsAsync("a", Now));
        Assert.Empty(await holds.GetHoldsAsync("a", Now + TimeSpan.FromDays(3)));
    }

    /// <summary>
    /// A job with a hold in force is not streamed when the query leaves held jobs out, nor counted; a hold that has ended
    /// protects nothing; without the filter (a dry run) the held job is streamed with its holds.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact(Requires = typeof(IJobHoldStore))]
    public async Task A_held_job_is_not_a_candidate_until_its_hold_ends_and_a_dry_run_reads_it_with_its_holds()
    {
        var store = await CreateStoreAsync([
            Job("forever", JobStatus.Succeeded, TimeSpan.FromDays(8)),
            Job("until-tomorrow", JobStatus.Failed, TimeSpan.FromDays(9)),
            Job("ended", JobStatus.Succeeded, TimeSpan.FromDays(10)),
            Job("free", JobStatus.Succeeded, TimeSpan.FromDays(11))]);
        var holds = (IJobHoldStore)store;
        await holds.AddHoldAsync(new JobHold("alice", "legal hold") { JobId = "forever", CreatedAt = Now });
        await holds.AddHoldAsync(new JobHold("bob", "review", Now + TimeSpan.FromDays(1)) { JobId = "until-tomorrow", CreatedAt = Now });
        await holds.AddHoldAsync(new JobHold("carol", "was needed", Now - TimeSpan.FromMinutes(1)) { JobId = "ended", CreatedAt = Now - TimeSpan.FromDays(2) });
        var live = Due with { ExcludeHeldAt = Now };

        Assert.Equal(["ended", "free"], (await ListAsync(store.GetCleanupCandidatesAsync(live))).Select(j => j.Id).Order(StringComparer.Ordinal));
        if (store is ICleanupCandidateCounter counter)
        {
            Assert.Equal(2, await counter.CountCleanupCandidatesAsync(live));
        }

        // A day and a minute later the review hold has ended: only the hold with no end still protects.
        var later = (await ListAsync(store.GetCleanupCandidatesAsync(live with { ExcludeHeldAt = Now + TimeSpan.FromDays(1.001) }))).Select(j => j.Id);
        Assert.Equal(["ended", "free", "until-tomorrow"], later.Order(StringComparer.Ordinal));

        var dry = (await ListAsync(store.GetCleanupCandidatesAsync(Due))).ToDictionary(j => j.Id);
        Assert.Equal(4, dry.Count);
        Assert.Equal("alice", Assert.Single(dry["forever"].Holds).Owner);
        Assert.True(dry["forever"].IsPinnedAt(Now));
        Assert.False(dry["ended"].IsPinnedAt(Now));
        Assert.Empty(dry["free"].Holds);
    }

    /// <summary>Every job id and artifact path is listed, so the orphan sweep spares them.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact(Requires = typeof(IReferencedPathStore))]
    public async Task Every_job_id_and_artifact_path_is_listed_for_the_orphan_sweep()
    {
        var jobs = await CreateStoreAsync([
            Job("a", JobStatus.Running, TimeSpan.FromDays(1), artifacts: new JobArtifact(ArtifactKind.Input, "uploads/a.tif", null)),
            Job("b", JobStatus.Succeeded, TimeSpan.FromDays(9), cleaned: true, new JobArtifact(ArtifactKind.Output, "results/b", 1))]);

        var store = (IReferencedPathStore)jobs;
        var ids = new List<string>();
        await foreach (var id in store.GetAllJobIdsAsync())
        {
            ids.Add(id);
        }

        var paths = new List<string>();
        await foreach (var path in store.GetAllArtifactPathsAsync())
        {
            paths.Add(path);
        }

        Assert.Equal(["a", "b"], ids.Order(StringComparer.Ordinal));
        Assert.Equal(["results/b", "uploads/a.tif"], paths.Order(StringComparer.Ordinal));
    }

    // Holds by creation time, then id: the order the stores list them in.
    private sealed class HoldOrder : IComparer<JobHold>
    {
        public static readonly HoldOrder Instance = new();

        public int Compare(JobHold? x, JobHold? y) =>
            x!.CreatedAt != y!.CreatedAt ? x.CreatedAt.CompareTo(y.CreatedAt) : string.CompareOrdinal(x.Id, y.Id);
    }
}
