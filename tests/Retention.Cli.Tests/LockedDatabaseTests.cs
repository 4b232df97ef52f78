namespace Retention.Cli.Tests;

/// <summary>Another process locks jobs.db while the tool runs: after it has deleted files and before it has recorded them.</summary>
public sealed class LockedDatabaseTests : IDisposable
{
    private static readonly string[] JobIds = [.. Enumerable.Range(1, 8).Select(i => $"job-2024010{i}-000000")];
    private readonly Installation _site = new();

    public LockedDatabaseTests()
    {
        foreach (var id in JobIds)
        {
            _site.Job(id, "failed", TimeSpan.FromDays(3));
        }

        _site.Environment["JobCleanup__Sqlite__BusyTimeout"] = "00:00:00.050";
        _site.Environment["JobCleanup__RecordingTimeout"] = "00:00:01";
    }

    public void Dispose() => _site.Dispose();

    private bool Deleted(string id) => !_site.Exists($"results/{id}") && !_site.Exists($"uploads/{id}_dem.tif");

    private List<string> Recorded()
    {
        var recorded = new List<string>();
        foreach (var id in JobIds)
        {
            if (_site.Scalar($"SELECT data_cleaned_at FROM jobs WHERE id = '{id}'") is string)
            {
                recorded.Add(id);
            }
        }

        return recorded;
    }

    [Fact]
    public async Task A_lock_held_past_the_recording_timeout_lists_every_deleted_unrecorded_job_exit_1_and_the_next_run_records_them()
    {
        // On the real clock: the retries' pauses and the one-second bound pass as they would (a few seconds in all).
        (int Exit, string Out, string Error) run;
        using (var output = new LockingWriter(_site.Db, "File: delete "))
        {
            run = await _site.Run(output, TimeProvider.System, "clean", "--verbose", "--debug", "--batch-size", "2", "--workers", "1");
            Assert.True(output.Locked);
        }

        var unrecorded = JobIds.Where(Deleted).Except(Recorded()).ToList();
        Assert.Equal(1, run.Exit);
        Assert.NotEmpty(unrecorded);
        Assert.All(Recorded(), id => Assert.True(Deleted(id), id)); // nothing recorded cleaned that still holds data
        Assert.Contains($"Cleanup failed: The data of {unrecorded.Count} job(s) was deleted but they could not be recorded cleaned: The SQLite database '{_site.Db}' is locked by another process (SQLITE_BUSY)", run.Error, StringComparison.Ordinal);
        var listed = run.Error[run.Error.IndexOf("Deleted but not recorded cleaned", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"Deleted but not recorded cleaned ({unrecorded.Count} job(s); the next run records them):", listed[0]);
        Assert.Equal(unrecorded, listed.Skip(1).Order());

        var next = await _site.Run("clean");

        Assert.Equal(0, next.Exit);
        Assert.All(JobIds, id => Assert.True(Deleted(id), id));
        Assert.Equal(JobIds, Recorded());
    }
}
