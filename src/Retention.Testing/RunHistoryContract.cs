using Retention.Cleanup;
using Retention.Stores;
using Xunit;

namespace Retention.Testing;

/// <summary>
/// What every <see cref="ICleanupRunStore"/> must do: keep each run, page newest first, filter by trigger, and read back what
/// it was given. Derive from it in a store's test project and say how to make an empty store.
/// </summary>
public abstract class RunHistoryContract
{
    private static readonly DateTimeOffset Noon = new(2024, 1, 20, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An empty store, of the kind under test.</summary>
    protected abstract Task<ICleanupRunStore> CreateStoreAsync();

    /// <summary>
    /// The contract tests of this class are found by xunit (they are not when the suite's files are copied into another
    /// assembly instead of referenced: then this test fails and says so).
    /// </summary>
    [Fact]
    public void Its_contract_tests_are_discovered() => ContractDiscovery.AssertContractTestsAreFound();

    /// <summary>Runs are read back newest first, with what they recorded.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task Runs_are_read_back_newest_first_with_what_they_recorded()
    {
        var store = await CreateStoreAsync();
        await store.RecordRunAsync(Run("run-1", Noon, CleanupTriggers.Schedule, jobs: 3, bytes: 3000));
        await store.RecordRunAsync(Run("run-2", Noon.AddHours(1), CleanupTriggers.Http, jobs: 0, bytes: 0, error: "database is locked", requestedBy: "admin", requestedFrom: "10.0.0.7"));

        var runs = await store.GetRunsAsync(new CleanupRunQuery());

        Assert.Equal(["run-2", "run-1"], runs.Select(r => r.RunId));
        var failed = runs[0];
        Assert.Equal((CleanupTriggers.Http, "failed", "database is locked", "admin", "10.0.0.7"), (failed.Trigger, failed.Outcome, failed.Error, failed.RequestedBy, failed.RequestedFrom));
        Assert.Equal(Noon.AddHours(1), failed.StartedAt);
        Assert.Equal(Noon.AddHours(1).AddSeconds(2), failed.FinishedAt);
        var good = runs[1];
        Assert.Equal((3L, 3000L, 4L, 1L, false), (good.JobsCleaned, good.BytesFreed, good.JobsScanned, good.JobsFailed, good.DryRun));
    }

    /// <summary>
    /// A store that implements <see cref="IRecordTrimStore"/> deletes the runs from before the cutoff and keeps the rest
    /// (a store that keeps a history must let it age out: without it, this test fails naming the interface).
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task Trimming_deletes_the_runs_from_before_the_cutoff_and_keeps_the_rest()
    {
        var store = await CreateStoreAsync();
        var trim = Assert.IsAssignableFrom<IRecordTrimStore>(store);
        await store.RecordRunAsync(Run("old", Noon.AddDays(-100), CleanupTriggers.Schedule, jobs: 1, bytes: 1));
        await store.RecordRunAsync(Run("edge", Noon.AddDays(-90), CleanupTriggers.Schedule, jobs: 1, bytes: 1));
        await store.RecordRunAsync(Run("new", Noon.AddDays(-1), CleanupTriggers.Schedule, jobs: 1, bytes: 1));

        var trimmed = await trim.TrimRecordsAsync(Noon.AddDays(-90), Noon.AddDays(-90));

        Assert.Equal(1, trimmed.Runs);
        Assert.Equal(["new", "edge"], (await store.GetRunsAsync(new CleanupRunQuery())).Select(r => r.RunId));
        Assert.Equal(0, (await trim.TrimRecordsAsync(Noon.AddDays(-90), Noon.AddDays(-90))).Runs);
    }

    /// <summary>Pages of the history follow on from the last start time, and filter by trigger.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task Pages_follow_on_from_the_last_start_time_and_filter_by_trigger()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 7; i++)
        {
            await store.RecordRunAsync(Run($"run-{i}", Noon.AddMinutes(i), i % 2 == 0 ? CleanupTriggers.Schedule : CleanupTriggers.Cli, jobs: i, bytes: i));
        }

        var first = await store.GetRunsAsync(new CleanupRunQuery { Limit = 3 });
        var second = await store.GetRunsAsync(new CleanupRunQuery { Limit = 3, StartedBefore = first[^1].StartedAt });
        var third = await store.GetRunsAsync(new CleanupRunQuery { Limit = 3, StartedBefore = second[^1].StartedAt });
        var scheduled = await store.GetRunsAsync(new CleanupRunQuery { Limit = 2, Trigger = CleanupTriggers.Schedule });

        Assert.Equal(["run-6", "run-5", "run-4"], first.Select(r => r.RunId));
        Assert.Equal(["run-3", "run-2", "run-1"], second.Select(r => r.RunId));
        Assert.Equal(["run-0"], third.Select(r => r.RunId));
        Assert.Equal(["run-6", "run-4"], scheduled.Select(r => r.RunId));
        Assert.Empty(await store.GetRunsAsync(new CleanupRunQuery { Trigger = "nobody" }));
    }

    /// <summary>Paging by start time and run id neither skips nor repeats runs that started at the same instant.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [ContractFact]
    public async Task Paging_by_start_time_and_run_id_neither_skips_nor_repeats_runs_that_started_together()
    {
        var store = await CreateStoreAsync();
        await store.RecordRunAsync(Run("run-a", Noon.AddMinutes(3), CleanupTriggers.Http, 0, 0));
        await store.RecordRunAsync(Run("run-b", Noon.AddMinutes(2), CleanupTriggers.Http, 0, 0));
        await store.RecordRunAsync(Run("run-c", Noon.AddMinutes(2), CleanupTriggers.Http, 0, 0));
        await store.RecordRunAsync(Run("run-d", Noon.AddMinutes(1), CleanupTriggers.Http, 0, 0));

        var seen = new List<string>();
        CleanupRunQuery query = new() { Limit = 2 };
        for (var page = await store.GetRunsAsync(query); page.Count > 0; page = await store.GetRunsAsync(query))
        {
            seen.AddRange(page.Select(r => r.RunId));
            query = query with { StartedBefore = page[^1].StartedAt, BeforeRunId = page[^1].RunId };
        }

        Assert.Equal(["run-a", "run-c", "run-b", "run-d"], seen);
    }

    private static CleanupReport Run(string id, DateTimeOffset at, string trigger, long jobs, long bytes, string? error = null, string? requestedBy = null, string? requestedFrom = null) => new()
    {
        RunId = id,
        Trigger = trigger,
        RequestedBy = requestedBy,
        RequestedFrom = requestedFrom,
        StartedAt = at,
        FinishedAt = at.AddSeconds(2),
        Outcome = error is null ? CleanupOutcome.Completed : CleanupOutcome.Failed,
        Error = error,
        Stats = new CleanupStats { JobsScanned = jobs + 1, JobsCleaned = jobs, JobsFailed = 1, BytesFreed = bytes },
    };
}
