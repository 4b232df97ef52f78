using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Cleanup.Outlook;
using Retention.Policies;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

/// <summary>
/// The outlook (data past due and still present, data about to become due) and the comparison of a candidate policy, over
/// real files and the in-memory store: what they count, what they list and why, and that neither touches anything.
/// </summary>
public sealed class OutlookTests : IDisposable
{
    private static readonly DateTimeOffset Now = CleanupHarness.Now;
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    private IJobExplainer Explainer => _h.Services.GetRequiredService<IJobExplainer>();

    // A job in the seed's layout whose store records its artifacts with their sizes: the input and the result folder.
    private void Seed(string id, JobStatus status, TimeSpan age, int inputBytes = 100, int outputBytes = 1000, params JobHold[] holds)
    {
        var job = _h.SeedJob(id, status, age, inputBytes, outputBytes);
        _h.Store.Upsert(job with
        {
            Artifacts = [new(ArtifactKind.Input, Path.Combine(_h.Uploads, $"{id}_dem.tif"), inputBytes), new(ArtifactKind.Output, Path.Combine(_h.Results, id), outputBytes + 24)],
            Holds = holds,
        });
    }

    // Default policy: succeeded data kept 7 days, failed 12 hours.
    private void SeedMix()
    {
        Seed("ok-9d", JobStatus.Succeeded, TimeSpan.FromDays(9)); // due for 2 days
        Seed("failed-1d", JobStatus.Failed, TimeSpan.FromDays(1), outputBytes: 500); // due for 12 hours
        Seed("ok-6.5d", JobStatus.Succeeded, TimeSpan.FromDays(6.5)); // due in 12 hours
        Seed("ok-2d", JobStatus.Succeeded, TimeSpan.FromDays(2)); // due in 5 days
        Seed("failed-6h", JobStatus.Failed, TimeSpan.FromHours(6)); // due in 6 hours
        Seed("running", JobStatus.Running, TimeSpan.FromDays(30)); // never read
        Seed("held", JobStatus.Succeeded, TimeSpan.FromDays(30), holds: new JobHold("alice", "audit"));
    }

    [Fact]
    public async Task The_outlook_counts_overdue_data_oldest_first_and_what_becomes_due_within_the_window_and_changes_nothing()
    {
        SeedMix();
        var before = _h.Snapshot();

        var outlook = await Explainer.GetOutlookAsync(TimeSpan.FromDays(1));

        Assert.Equal(["ok-9d", "failed-1d"], outlook.Overdue.Select(j => j.JobId));
        Assert.Equal((2L, 100 + 1024 + 100 + 524L), (outlook.OverdueJobs, outlook.OverdueBytes));
        Assert.Equal(Now - TimeSpan.FromDays(2), outlook.OldestOverdueSince);
        Assert.Equal(TimeSpan.FromDays(2), outlook.OldestOverdueAge);
        Assert.All(outlook.Overdue, j => Assert.Equal("no run has reached it since it became due", j.StaysBecause));
        Assert.Equal("succeeded", outlook.Overdue[0].Status);

        // Soonest first; ok-2d (5 days away), the running and the held job are in neither list.
        Assert.Equal(["failed-6h", "ok-6.5d"], outlook.Upcoming.Select(j => j.JobId));
        Assert.Equal([Now + TimeSpan.FromHours(6), Now + TimeSpan.FromHours(12)], outlook.Upcoming.Select(j => j.DueAt!.Value));
        Assert.Equal((2L, 2 * 1124L), (outlook.UpcomingJobs, outlook.UpcomingBytes));
        Assert.Equal(6, outlook.JobsScanned);
        Assert.Equal(before, _h.Snapshot());
        Assert.All(_h.Store.Jobs, j => Assert.Null(j.DataCleanedAt));

        // A window of zero: overdue data only.
        var overdueOnly = await Explainer.GetOutlookAsync(TimeSpan.Zero);
        Assert.Equal((2L, 0L), (overdueOnly.OverdueJobs, overdueOnly.UpcomingJobs));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Explainer.GetOutlookAsync(TimeSpan.FromHours(-1)));
    }

    [Fact]
    public async Task After_a_run_only_the_data_it_failed_to_clean_is_overdue_and_the_outlook_says_why()
    {
        SeedMix();

        // The store names a file outside every root for this job: the deleter refuses it, so the job stays.
        var outside = _h.Tree.File("elsewhere/keep.bin", 10);
        Seed("ok-10d", JobStatus.Succeeded, TimeSpan.FromDays(10));
        _h.Store.Upsert(_h.Store.Find("ok-10d")! with { Artifacts = [new(ArtifactKind.Output, outside, 10)] });

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);
        Assert.Equal(2, report.Stats.JobsCleaned);
        Assert.Equal(1, report.Stats.JobsFailed);

        var outlook = await Explainer.GetOutlookAsync(TimeSpan.Zero);

        var stuck = Assert.Single(outlook.Overdue);
        Assert.Equal(("ok-10d", 10L), (stuck.JobId, stuck.Bytes));
        Assert.StartsWith($"the last run ({report.RunId}) failed to clean it: ", stuck.StaysBecause, StringComparison.Ordinal);
        Assert.Contains("outside", stuck.StaysBecause, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Now - TimeSpan.FromDays(3), outlook.OldestOverdueSince);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public async Task Comparing_a_candidate_policy_groups_the_jobs_each_rule_moves_with_their_bytes_and_changes_nothing()
    {
        SeedMix();
        var before = _h.Snapshot();

        // Succeeded data kept 1 day instead of 7, failed data 2 days instead of 12 hours.
        var candidate = RetentionPolicy.CreateBuilder().AddDefaults(TimeSpan.FromDays(1), TimeSpan.FromDays(2)).Build();
        var comparison = await Explainer.CompareAsync(candidate);

        var becomesDue = Assert.Single(comparison.Changes, c => c.Kind == PolicyChangeKind.BecomesDue);
        Assert.Equal(("succeeded-data", 2L, 2 * 1124L), (becomesDue.Rule, becomesDue.Jobs, becomesDue.Bytes));
        Assert.Equal(["ok-6.5d", "ok-2d"], becomesDue.JobIds.Order(StringComparer.Ordinal).Reverse());

        var noLongerDue = Assert.Single(comparison.Changes, c => c.Kind == PolicyChangeKind.NoLongerDue);
        Assert.Equal(("failed-data", 1L, 624L, "failed-1d"), (noLongerDue.Rule, noLongerDue.Jobs, noLongerDue.Bytes, Assert.Single(noLongerDue.JobIds)));

        var later = Assert.Single(comparison.Changes, c => c.Kind == PolicyChangeKind.DueLater);
        Assert.Equal(("failed-data", "failed-6h"), (later.Rule, Assert.Single(later.JobIds)));
        Assert.DoesNotContain(comparison.Changes, c => c.Kind == PolicyChangeKind.DueEarlier);
        Assert.Equal((2L, 2248L), comparison.Total(PolicyChangeKind.BecomesDue));

        // The same policy changes nothing; and nothing was touched.
        Assert.Empty((await Explainer.CompareAsync(Explainer.Policy)).Changes);
        Assert.Equal(before, _h.Snapshot());
        Assert.All(_h.Store.Jobs, j => Assert.Null(j.DataCleanedAt));
    }

    [Fact]
    public async Task A_shorter_retention_that_still_keeps_a_job_brings_its_date_forward()
    {
        Seed("ok-2d", JobStatus.Succeeded, TimeSpan.FromDays(2));
        var candidate = RetentionPolicy.CreateBuilder().AddDefaults(TimeSpan.FromDays(3), TimeSpan.FromHours(12)).Build();

        var change = Assert.Single((await Explainer.CompareAsync(candidate)).Changes);

        Assert.Equal((PolicyChangeKind.DueEarlier, "succeeded-data", 1L), (change.Kind, change.Rule, change.Jobs));
    }

    [Fact]
    public async Task A_job_whose_logs_are_due_under_both_still_shows_its_outputs_becoming_due_and_data_kept_for_good_falls_due_later()
    {
        var logs = _h.Tree.File("results/mixed/run.log", 50);
        Seed("mixed", JobStatus.Succeeded, TimeSpan.FromDays(3));
        var mixed = _h.Store.Find("mixed")!;
        _h.Store.Upsert(mixed with { Artifacts = [.. mixed.Artifacts, new(ArtifactKind.Log, logs, 50)] });
        _h.Build(configure: o => o.Policy = Policy(outputs: TimeSpan.FromDays(7), inputs: TimeSpan.FromDays(10)));

        // Outputs kept 2 days instead of 7 (now due); inputs kept for good instead of 10 days; logs due after a day under both.
        var candidate = RetentionPolicy.CreateBuilder()
            .AddRule("logs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Log).RetainFor(TimeSpan.FromDays(1)))
            .AddRule("outputs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Output).RetainFor(TimeSpan.FromDays(2)))
            .AddRule("inputs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Input).KeepForever())
            .Build();
        var changes = (await Explainer.CompareAsync(candidate)).Changes;

        Assert.Equal(
            [(PolicyChangeKind.BecomesDue, "outputs", 1L, 1024L), (PolicyChangeKind.DueLater, "inputs", 1L, 100L)],
            changes.Select(c => (c.Kind, c.Rule, c.Jobs, c.Bytes)));
    }

    private static RetentionPolicy Policy(TimeSpan outputs, TimeSpan inputs) => RetentionPolicy.CreateBuilder()
        .AddRule("logs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Log).RetainFor(TimeSpan.FromDays(1)))
        .AddRule("outputs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Output).RetainFor(outputs))
        .AddRule("inputs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Input).RetainFor(inputs))
        .Build();
}
