using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Policies;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

/// <summary>
/// The relative limits: a run stops at ten times the median of the last runs (default settings), or at a share of what the
/// store holds, whatever the site's size; a first run over a backlog is not stopped; a confirmed run goes on.
/// </summary>
public sealed class MassDeletionGuardTests : IDisposable
{
    private readonly CleanupHarness _h = new();
    private int _seeded;

    // A retention of one hour for succeeded jobs: the mistaken rule that suddenly makes every finished job due.
    private static readonly RetentionPolicy EverythingDue = RetentionPolicy.CreateBuilder().AddDefaults(TimeSpan.FromHours(1), TimeSpan.FromHours(1)).Build();

    public void Dispose() => _h.Dispose();

    // Jobs succeeded `age` ago, each with a 10-byte result; their ids say which batch they came in.
    private void Seed(int count, TimeSpan age)
    {
        for (var i = 0; i < count; i++)
        {
            _h.SeedJob($"job-{_seeded++:D6}", JobStatus.Succeeded, age, inputBytes: 0, outputBytes: 10);
        }
    }

    // `runs` days of normal operation: each day `perRun` jobs pass the 7 days' retention and a run cleans them.
    private async Task SteadyRunsAsync(int runs, int perRun)
    {
        for (var day = 0; day < runs; day++)
        {
            Seed(perRun, TimeSpan.FromDays(8));
            var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);
            Assert.Equal((CleanupOutcome.Completed, (long)perRun), (report.Outcome, report.Stats.JobsCleaned));
            _h.Time.Advance(TimeSpan.FromDays(1));
        }
    }

    private int Uncleaned => _h.Store.Jobs.Count(j => j.DataCleanedAt is null);

    [Theory]
    [InlineData(2, 150, 20)] // a small site: ten times its median (2 jobs) is under the floor of 20 jobs
    [InlineData(120, 3000, 1200)] // a large one: ten times its median of 120 jobs
    public async Task A_rule_that_suddenly_matches_everything_stops_at_ten_times_the_median_of_the_last_runs_and_a_confirmed_run_goes_on(int perRun, int young, int limit)
    {
        _h.Build(configure: o => o.BatchSize = 50);
        await SteadyRunsAsync(6, perRun);
        Seed(young, TimeSpan.FromDays(1));

        var stopped = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = EverythingDue });

        Assert.Equal(CleanupOutcome.LimitReached, stopped.Outcome);
        Assert.Equal(limit, stopped.Stats.JobsCleaned);
        Assert.Equal(young - limit, Uncleaned);
        Assert.Equal(young - limit, Directory.EnumerateDirectories(_h.Results).Count());
        Assert.Contains($"Mass-deletion guard: this run reached {limit} jobs, 10x the median of the last 6 runs ({perRun} jobs cleaned), and stopped", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("--confirm-mass-deletion", stopped.Error, StringComparison.Ordinal);
        Assert.Contains(_h.Logs.Entries, e => e.Event.Name == "CircuitBreakerTripped");

        var confirmed = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = EverythingDue, ConfirmMassDeletion = true, RequestedBy = "alice" });

        Assert.Equal((CleanupOutcome.Completed, (long)(young - limit)), (confirmed.Outcome, confirmed.Stats.JobsCleaned));
        Assert.Equal(0, Uncleaned);
        Assert.Contains(_h.Logs.Entries, e => e.Event.Name == "MassDeletionConfirmed" && e.Message.Contains("confirmed by alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_first_run_over_a_backlog_is_not_stopped_while_there_are_fewer_than_five_runs_to_compare_with()
    {
        _h.Build();
        await SteadyRunsAsync(4, 1);
        Seed(500, TimeSpan.FromDays(9));

        var backlog = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.Completed, 500L), (backlog.Outcome, backlog.Stats.JobsCleaned));
    }

    [Fact]
    public async Task Dry_runs_and_stopped_runs_are_not_counted_in_the_median_so_a_guard_that_keeps_tripping_does_not_raise_its_own_limit()
    {
        _h.Build();
        await SteadyRunsAsync(5, 2);
        Seed(100, TimeSpan.FromDays(1));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(CleanupOutcome.LimitReached, (await _h.Cleaner.RunAsync(CleanupRequest.Preview with { Policy = EverythingDue })).Outcome);
        }

        for (var i = 0; i < 3; i++)
        {
            var stopped = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = EverythingDue });
            Assert.Equal((CleanupOutcome.LimitReached, 20L), (stopped.Outcome, stopped.Stats.JobsCleaned));
        }

        Assert.Equal(40, Uncleaned);
    }

    [Fact]
    public async Task Runs_that_cleaned_nothing_are_not_counted_so_frequent_empty_runs_neither_stop_an_ordinary_batch_nor_lower_the_limit()
    {
        _h.Build();
        Seed(30, TimeSpan.FromDays(8));
        Assert.Equal(30, (await _h.Cleaner.RunAsync(CleanupRequest.Default)).Stats.JobsCleaned);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(0, (await _h.Cleaner.RunAsync(CleanupRequest.Default)).Stats.JobsCleaned); // a frequent schedule between batches
        }

        Seed(50, TimeSpan.FromDays(8));
        var batch = await _h.Cleaner.RunAsync(CleanupRequest.Default);
        Assert.Equal((CleanupOutcome.Completed, 50L), (batch.Outcome, batch.Stats.JobsCleaned)); // one run that cleaned something: no median yet

        await SteadyRunsAsync(4, 3);
        for (var i = 0; i < 8; i++)
        {
            await _h.Cleaner.RunAsync(CleanupRequest.Default);
        }

        Seed(1000, TimeSpan.FromDays(1));
        var sudden = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = EverythingDue });
        Assert.Equal((CleanupOutcome.LimitReached, 30L), (sudden.Outcome, sudden.Stats.JobsCleaned)); // the median of 30, 50, 3, 3, 3, 3: 3
        Assert.Contains("10x the median of the last 6 runs (3 jobs cleaned)", sudden.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_shows_the_guard_would_trip_and_deletes_nothing()
    {
        _h.Build();
        await SteadyRunsAsync(5, 3);
        Seed(60, TimeSpan.FromDays(1));
        var before = _h.Snapshot();

        var preview = await _h.Cleaner.RunAsync(CleanupRequest.Preview with { Policy = EverythingDue });

        Assert.Equal((CleanupOutcome.LimitReached, 30L), (preview.Outcome, preview.Stats.JobsCleaned));
        Assert.Contains("Mass-deletion guard: this run reached 30 jobs, 10x the median of the last 5 runs (3 jobs cleaned)", preview.Error, StringComparison.Ordinal);
        Assert.Equal(before, _h.Snapshot());
        Assert.Equal(60, Uncleaned);
    }

    [Fact]
    public async Task A_share_of_the_stored_jobs_stops_even_a_first_run_when_set()
    {
        _h.Build(configure: o => { o.CircuitBreaker.MaxShareOfStoredJobs = 0.25; o.BatchSize = 5; o.MaxParallelDeletions = 1; });
        Seed(30, TimeSpan.FromDays(9));
        Seed(10, TimeSpan.FromDays(1));

        var stopped = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.LimitReached, 10L), (stopped.Outcome, stopped.Stats.JobsCleaned));
        Assert.Contains("Mass-deletion guard: this run reached 10 jobs, 25% of the 40 jobs whose data the store holds", stopped.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turned_off_with_no_multiple_a_sudden_run_completes()
    {
        _h.Build(configure: o => o.CircuitBreaker.MaxTimesMedianOfRecentRuns = null);
        await SteadyRunsAsync(5, 1);
        Seed(100, TimeSpan.FromDays(1));

        var run = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = EverythingDue });

        Assert.Equal((CleanupOutcome.Completed, 100L), (run.Outcome, run.Stats.JobsCleaned));
    }

    [Fact]
    public void Relative_limits_out_of_range_are_refused_at_start_naming_the_key()
    {
        _h.Build(configure: o =>
        {
            o.CircuitBreaker.MaxTimesMedianOfRecentRuns = 0.5;
            o.CircuitBreaker.RelativeLimitFloor = 0;
            o.CircuitBreaker.MaxShareOfStoredJobs = 1.5;
        });

        var error = Assert.Throws<OptionsValidationException>(() => _h.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:CircuitBreaker:MaxTimesMedianOfRecentRuns: must be at least 1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:CircuitBreaker:RelativeLimitFloor: must be at least 1 job", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:CircuitBreaker:MaxShareOfStoredJobs: must be a share above 0 and at most 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_median_is_found_past_a_page_of_dry_runs_in_the_history()
    {
        _h.Build(configure: o => o.BatchSize = 50);
        await SteadyRunsAsync(6, 2);

        // 60 previews since: the runs the median is taken over are on the history's second page.
        for (var i = 0; i < 60; i++)
        {
            Assert.True((await _h.Cleaner.RunAsync(CleanupRequest.Preview)).DryRun);
        }

        Seed(150, TimeSpan.FromDays(1));
        var stopped = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = EverythingDue });

        Assert.Equal((CleanupOutcome.LimitReached, 20L), (stopped.Outcome, stopped.Stats.JobsCleaned));
    }
}
