using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Reaping;
using Retention.Stores;

namespace Retention.Sqlite.Tests;

/// <summary>Several words for one status, and status words no status has: cleaned by their status, or reported and kept.</summary>
public sealed class StatusWordTests : IDisposable
{
    private readonly SeedDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private ServiceProvider Services(Action<SqliteJobStoreOptions>? sqlite = null) => _db.Services(sqlite);

    [Fact]
    public async Task A_status_with_several_words_cleans_and_marks_the_jobs_of_each_word()
    {
        _db.AddJob("job-completed", "completed", TimeSpan.FromDays(8));
        _db.AddJob("job-done", "done", TimeSpan.FromDays(8));
        _db.AddJob("job-ok", "ok", TimeSpan.FromDays(8));
        _db.AddJob("job-upper", "OK", TimeSpan.FromDays(8)); // words match exactly, as the SQL compares them
        _db.AddJob("job-recent", "done", TimeSpan.FromDays(1));
        using var services = Services(o => o.StatusNames[JobStatus.Succeeded] = "completed, done,ok");

        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.Completed, 3L), (report.Outcome, report.Stats.CleanedIn(JobStatus.Succeeded)));
        Assert.Equal(new UnmappedStatusWord("OK", 1), Assert.Single(report.UnmappedStatuses));
        Assert.Equal(3L, _db.Scalar("SELECT count(*) FROM jobs WHERE data_cleaned_at IS NOT NULL AND id IN ('job-completed', 'job-done', 'job-ok')"));
        Assert.Null(_db.Scalar("SELECT data_cleaned_at FROM jobs WHERE id = 'job-recent'"));
        Assert.False(Directory.Exists(Path.Combine(_db.Results, "job-done")));
        Assert.True(Directory.Exists(Path.Combine(_db.Results, "job-recent")));
        Assert.Equal("done", _db.Scalar("SELECT status FROM jobs WHERE id = 'job-done'")); // the word is kept, not rewritten
    }

    [Fact]
    public async Task The_reaper_fails_a_stale_job_of_any_running_word_and_writes_the_first_failed_word()
    {
        _db.AddJob("job-busy", "busy", TimeSpan.FromDays(3));
        _db.AddJob("job-running", "running", TimeSpan.FromDays(3));
        using var services = Services(o =>
        {
            o.StatusNames[JobStatus.Running] = "running, busy";
            o.StatusNames[JobStatus.Failed] = "failed, crashed";
        });

        var reaped = await services.GetRequiredService<IStaleJobReaper>().ReapAtStartupAsync();

        Assert.Equal(["job-busy", "job-running"], reaped.Reaped.Select(r => r.JobId).Order());
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM jobs WHERE status = 'failed'"));
    }

    [Fact]
    public async Task A_word_no_status_has_is_never_cleaned_and_is_reported_by_the_store_the_run_the_status_and_explain()
    {
        _db.AddJob("job-done", "done", TimeSpan.FromDays(30));
        _db.AddJob("job-done-2", "done", TimeSpan.FromDays(30));
        _db.AddJob("job-completed", "completed", TimeSpan.FromDays(30));
        using var services = Services();

        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
        var explained = await services.GetRequiredService<IJobExplainer>().ExplainAsync("job-done");

        Assert.Equal(new UnmappedStatusWord("done", 2), Assert.Single(await services.GetRequiredService<IStatusWordStore>().GetUnmappedStatusWordsAsync()));
        Assert.Equal(new UnmappedStatusWord("done", 2), Assert.Single(report.UnmappedStatuses));
        Assert.Equal(new UnmappedStatusWord("done", 2), Assert.Single(services.GetRequiredService<ICleanupStatus>().GetSnapshot().UnmappedStatuses));
        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.True(Directory.Exists(Path.Combine(_db.Results, "job-done")));
        Assert.Equal("done", explained!.Job.UnmappedStatus);
        Assert.Equal("the status 'done' is mapped to no status, so the job is never cleaned; add the word to the store's StatusNames", explained.Reason);
    }

    [Fact]
    public async Task Mapping_succeeded_to_a_new_word_alone_reports_the_old_word_instead_of_quietly_keeping_its_jobs()
    {
        _db.AddJob("job-completed", "completed", TimeSpan.FromDays(30));
        using var services = Services(o => o.StatusNames[JobStatus.Succeeded] = "done");

        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal(0, report.Stats.JobsCleaned);
        Assert.Equal(new UnmappedStatusWord("completed", 1), Assert.Single(report.UnmappedStatuses));
    }

    [Fact]
    public void A_word_given_to_two_statuses_among_several_is_refused_naming_both()
    {
        var options = new SqliteJobStoreOptions();
        options.StatusNames[JobStatus.Succeeded] = "completed, finished";
        options.StatusNames[JobStatus.Failed] = "failed, finished";

        var error = Assert.Throws<RetentionConfigurationException>(() => new SqliteJobStore(options));

        Assert.Contains("JobCleanup:Sqlite:StatusNames: 'finished' is given to Succeeded and Failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_word_list_is_refused_naming_the_status()
    {
        var options = new SqliteJobStoreOptions();
        options.StatusNames[JobStatus.Failed] = " , ";

        var error = Assert.Throws<RetentionConfigurationException>(() => new SqliteJobStore(options));

        Assert.Contains("JobCleanup:Sqlite:StatusNames:Failed: the status word is empty", error.Message, StringComparison.Ordinal);
    }
}
