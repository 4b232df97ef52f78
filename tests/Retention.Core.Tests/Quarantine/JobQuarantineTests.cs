using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.Orphans;
using Retention.Quarantine;
using Retention.Tests.Support;

namespace Retention.Tests.Quarantine;

public sealed class JobQuarantineTests : IDisposable
{
    private const string Folder = ".retention-quarantine";
    private const string Stamp = "20240120T020000Z"; // CleanupHarness.Now

    private readonly CleanupHarness _h = new();

    public JobQuarantineTests() => _h.Build(configure: o => o.Quarantine.Enabled = true);

    public void Dispose() => _h.Dispose();

    private IJobQuarantine Quarantine => _h.Services.GetRequiredService<IJobQuarantine>();

    private static string InQuarantine(string root, string jobId, string stamp, params string[] relative) =>
        Path.Combine([root, Folder, jobId, stamp, .. relative]);

    /// <summary>Every file under the tree with its content, to compare byte for byte.</summary>
    private Dictionary<string, string> Contents() =>
        Directory.EnumerateFiles(_h.Tree.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexString(File.ReadAllBytes(f)));

    [Fact]
    public async Task Run_with_quarantine_moves_due_data_aside_and_records_the_job_cleaned()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.False(File.Exists(Path.Combine(_h.Uploads, "job-a_dem.tif")));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "job-a")));
        Assert.Equal(250, new FileInfo(InQuarantine(_h.Uploads, "job-a", Stamp, "job-a_dem.tif")).Length);
        Assert.Equal(1000, new FileInfo(InQuarantine(_h.Results, "job-a", Stamp, "job-a", "out.tif")).Length);
        Assert.Equal(24, new FileInfo(InQuarantine(_h.Results, "job-a", Stamp, "job-a", "logs", "run.txt")).Length);
        Assert.Equal(CleanupHarness.Now, _h.Store.Find("job-a")!.DataCleanedAt);
        var job = Assert.Single(report.Jobs);
        Assert.Equal(JobCleanupOutcome.Cleaned, job.Outcome);
        Assert.All(job.Artifacts, a => Assert.Equal(DeletionOutcome.Quarantined, a.Outcome));
        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.Equal(2, report.Stats.ArtifactsDeleted);
        Assert.Equal(250 + 1000 + 24, report.Stats.BytesQuarantined);
        Assert.Equal(0, report.Stats.BytesFreed); // nothing is freed until the quarantine is purged
        Assert.Equal(0, job.BytesFreed);
        Assert.Equal(0, _h.Store.FindTombstone("job-a")!.BytesFreed);
        Assert.True(report.Succeeded);
    }

    [Fact]
    public async Task Only_a_runs_job_artifacts_are_staged_and_the_registered_deleter_still_deletes_outright()
    {
        var stray = _h.Tree.File("results/stray.bin", 40);
        var deleter = _h.Services.GetRequiredService<ISafeDeleter>();

        var direct = await deleter.DeleteAsync(stray);
        var staged = await QuarantiningDeleter.For(deleter, Quarantine, new QuarantineOptions { Enabled = true })
            .DeleteArtifactAsync("job-b", _h.Tree.File("results/job-b/out.tif", 60));

        Assert.Equal(DeletionOutcome.Deleted, direct.Outcome);
        Assert.Equal(DeletionOutcome.Quarantined, staged.Outcome);
        Assert.Equal(60, new FileInfo(InQuarantine(_h.Results, "job-b", Stamp, "job-b", "out.tif")).Length);
        Assert.False(Directory.Exists(Path.Combine(_h.Results, Folder, "stray.bin")));
        Assert.Same(deleter, QuarantiningDeleter.For(deleter, Quarantine, new QuarantineOptions { Enabled = false }));
    }

    [Fact]
    public async Task Dry_run_with_quarantine_measures_and_moves_nothing()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));
        var before = _h.Snapshot();

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Preview);

        Assert.Equal(before, _h.Snapshot());
        Assert.False(Directory.Exists(Path.Combine(_h.Results, Folder)));
        Assert.Equal(1274, report.Stats.BytesFreed);
        Assert.Equal(0, report.Stats.BytesQuarantined);
        Assert.Null(_h.Store.Find("job-a")!.DataCleanedAt);
    }

    [Fact]
    public async Task Quarantine_reports_the_bytes_and_files_of_its_walk_and_moves_a_link_as_a_link()
    {
        var outside = _h.Tree.File("elsewhere/big.bin", 5000);
        _h.Tree.File("results/job-a/out.tif", 1000);
        _h.Tree.File("results/job-a/sub/b.txt", 30);
        File.CreateSymbolicLink(Path.Combine(_h.Results, "job-a", "big-link"), outside);

        var result = await Quarantine.QuarantineAsync("job-a", Path.Combine(_h.Results, "job-a"));

        Assert.Equal(DeletionOutcome.Quarantined, result.Outcome);
        Assert.True(result.IsGone);
        Assert.True(result.IsDirectory);
        Assert.Equal(1030, result.Bytes); // the link's target is neither followed nor counted
        Assert.Equal(3, result.Files);
        var moved = InQuarantine(_h.Results, "job-a", Stamp, "job-a");
        Assert.Equal(outside, new FileInfo(Path.Combine(moved, "big-link")).LinkTarget);
        Assert.Equal(5000, new FileInfo(outside).Length);
        var entry = Assert.Single(await Quarantine.ListAsync());
        Assert.Equal(new QuarantinedEntry("job-a", Path.Combine(_h.Results, "job-a"), moved, CleanupHarness.Now, 1030), entry);
    }

    [Fact]
    public async Task Restore_puts_the_data_back_byte_identical_and_the_job_stays_cleaned()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));
        File.WriteAllBytes(Path.Combine(_h.Results, "job-a", "out.tif"), RandomNumberGenerator.GetBytes(4096));
        File.WriteAllBytes(Path.Combine(_h.Uploads, "job-a_dem.tif"), RandomNumberGenerator.GetBytes(777));
        var before = Contents();
        await _h.Cleaner.RunAsync(CleanupRequest.Default);
        Assert.NotEqual(before.Keys, Contents().Keys);

        var report = await Quarantine.RestoreAsync("job-a");

        Assert.Equal([Path.Combine(_h.Results, "job-a"), Path.Combine(_h.Uploads, "job-a_dem.tif")], report.Restored.Order(StringComparer.Ordinal));
        Assert.Empty(report.Conflicts);
        Assert.Empty(report.Failures);
        Assert.Equal(before, Contents());
        Assert.Empty(await Quarantine.ListAsync());
        Assert.False(Directory.Exists(Path.Combine(_h.Results, Folder, "job-a")));
        Assert.NotNull(_h.Store.Find("job-a")!.DataCleanedAt);

        await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(before, Contents()); // recorded cleaned: the next run leaves the restored data alone
    }

    [Fact]
    public async Task Restore_creates_missing_parent_directories_inside_the_root()
    {
        _h.Tree.File("results/shared/2024/job-a.log", 40);
        await Quarantine.QuarantineAsync("job-a", Path.Combine(_h.Results, "shared", "2024", "job-a.log"));
        Directory.Delete(Path.Combine(_h.Results, "shared"), recursive: true);

        var report = await Quarantine.RestoreAsync("job-a");

        Assert.Equal([Path.Combine(_h.Results, "shared", "2024", "job-a.log")], report.Restored);
        Assert.Equal(40, new FileInfo(Path.Combine(_h.Results, "shared", "2024", "job-a.log")).Length);
    }

    [Fact]
    public async Task Restore_when_the_original_path_exists_again_reports_a_conflict_and_leaves_both()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));
        await _h.Cleaner.RunAsync(CleanupRequest.Default);
        var recreated = _h.Tree.File("results/job-a/new.txt", 7);

        var report = await Quarantine.RestoreAsync("job-a");

        Assert.Equal([Path.Combine(_h.Results, "job-a")], report.Conflicts);
        Assert.Equal([Path.Combine(_h.Uploads, "job-a_dem.tif")], report.Restored);
        Assert.False(report.Succeeded);
        Assert.Equal(7, new FileInfo(recreated).Length);
        Assert.False(File.Exists(Path.Combine(_h.Results, "job-a", "out.tif"))); // not merged into the new folder
        Assert.Equal(1000, new FileInfo(InQuarantine(_h.Results, "job-a", Stamp, "job-a", "out.tif")).Length);
        Assert.Equal(Path.Combine(_h.Results, "job-a"), Assert.Single(await Quarantine.ListAsync()).OriginalPath);
    }

    [Fact]
    public async Task Restore_of_a_path_quarantined_twice_brings_back_the_latest_and_the_older_copy_conflicts()
    {
        var log = Path.Combine(_h.Results, "job-a.log");
        await File.WriteAllTextAsync(log, "first");
        await Quarantine.QuarantineAsync("job-a", log);
        await File.WriteAllTextAsync(log, "second run");
        _h.Time.Advance(TimeSpan.FromHours(1));
        await Quarantine.QuarantineAsync("job-a", log);

        var report = await Quarantine.RestoreAsync("job-a");

        Assert.Equal("second run", await File.ReadAllTextAsync(log));
        Assert.Equal([log], report.Restored);
        Assert.Equal([log], report.Conflicts);
        Assert.Equal("first", await File.ReadAllTextAsync(InQuarantine(_h.Results, "job-a", Stamp, "job-a.log")));
    }

    [Fact]
    public async Task Purge_keeps_data_within_the_grace_period_and_deletes_it_after()
    {
        _h.Build(configure: o =>
        {
            o.Quarantine.Enabled = true;
            o.Quarantine.GracePeriod = TimeSpan.FromDays(3);
        });
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));
        await _h.Cleaner.RunAsync(CleanupRequest.Default);

        _h.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        var early = await Quarantine.PurgeExpiredAsync();

        Assert.Equal(new QuarantinePurgeReport(0, 0, []), early with { Failures = [] });
        Assert.Empty(early.Failures);
        Assert.Equal(2, (await Quarantine.ListAsync()).Count);

        _h.Time.Advance(TimeSpan.FromSeconds(2));
        var late = await Quarantine.PurgeExpiredAsync();

        Assert.Equal(2, late.EntriesDeleted);
        Assert.Equal(1274, late.BytesFreed);
        Assert.Empty(late.Failures);
        Assert.Empty(await Quarantine.ListAsync());
        Assert.False(Directory.Exists(Path.Combine(_h.Results, Folder, "job-a")));
        Assert.False(Directory.Exists(Path.Combine(_h.Uploads, Folder, "job-a")));
    }

    [Fact]
    public async Task Run_purges_expired_quarantine_first_and_counts_it_apart_from_bytes_freed()
    {
        _h.Build(configure: o =>
        {
            o.Quarantine.Enabled = true;
            o.Quarantine.GracePeriod = TimeSpan.FromDays(1);
        });
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));
        await _h.Cleaner.RunAsync(CleanupRequest.Default);
        _h.SeedJob("job-b", JobStatus.Failed, TimeSpan.FromDays(2), outputBytes: 500);
        _h.Time.Advance(TimeSpan.FromDays(2));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(1274, report.Stats.QuarantineBytesPurged);
        Assert.Equal(0, report.Stats.BytesFreed);
        Assert.Equal(250 + 500 + 24, report.Stats.BytesQuarantined);
        Assert.False(Directory.Exists(Path.Combine(_h.Results, Folder, "job-a")));
        Assert.True(Directory.Exists(InQuarantine(_h.Results, "job-b", "20240122T020000Z", "job-b")));
        Assert.Contains(_h.Logs.Messages, m => m.StartsWith("Quarantine: deleted 2 path(s) quarantined more than 1 day ago, freeing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quarantine_a_path_through_a_symlink_is_refused_and_nothing_moves()
    {
        var target = _h.Tree.File("elsewhere/job-a/out.tif", 100);
        Directory.CreateSymbolicLink(Path.Combine(_h.Results, "linked"), _h.Tree.Path_("elsewhere"));
        var before = _h.Snapshot();

        var result = await Quarantine.QuarantineAsync("job-a", Path.Combine(_h.Results, "linked", "job-a"));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("symbolic link", result.Reason, StringComparison.Ordinal);
        Assert.Equal(before, _h.Snapshot());
        Assert.True(File.Exists(target));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, Folder)));
    }

    [Fact]
    public async Task Quarantine_when_the_quarantine_folder_is_a_symlink_is_refused_and_nothing_moves()
    {
        _h.Tree.File("results/job-a/out.tif", 100);
        var elsewhere = _h.Tree.Dir("elsewhere");
        Directory.CreateSymbolicLink(Path.Combine(_h.Results, Folder), elsewhere);

        var result = await Quarantine.QuarantineAsync("job-a", Path.Combine(_h.Results, "job-a"));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("symbolic link", result.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_h.Results, "job-a", "out.tif")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task Quarantine_a_path_outside_the_roots_or_a_root_is_refused()
    {
        var outside = _h.Tree.File("elsewhere/precious.bin", 77);

        var elsewhere = await Quarantine.QuarantineAsync("job-a", outside);
        var root = await Quarantine.QuarantineAsync("job-a", _h.Results);

        Assert.Equal(DeletionOutcome.Refused, elsewhere.Outcome);
        Assert.Contains("outside the configured roots", elsewhere.Reason, StringComparison.Ordinal);
        Assert.Equal(DeletionOutcome.Refused, root.Outcome);
        Assert.Contains("configured root", root.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(outside));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, Folder)));
    }

    [Theory]
    [InlineData("../job-b")]
    [InlineData("..")]
    [InlineData("")]
    public async Task Quarantine_a_job_id_that_is_no_plain_name_is_refused(string jobId)
    {
        var file = _h.Tree.File("results/job-a/out.tif", 10);

        var result = await Quarantine.QuarantineAsync(jobId, Path.Combine(_h.Results, "job-a"));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.True(File.Exists(file));
        await Assert.ThrowsAsync<ArgumentException>(() => Quarantine.RestoreAsync(jobId));
    }

    [Fact]
    public async Task The_quarantine_folder_is_refused_to_everyone_but_the_quarantine()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));
        await _h.Cleaner.RunAsync(CleanupRequest.Default);
        var inside = InQuarantine(_h.Results, "job-a", Stamp, "job-a");
        var deleter = _h.Services.GetRequiredService<ISafeDeleter>();

        var quarantinedAgain = await Quarantine.QuarantineAsync("job-x", inside);
        var deleted = await deleter.DeleteAsync(inside);
        var folder = await deleter.DeleteAsync(Path.Combine(_h.Results, Folder));

        Assert.Equal(DeletionOutcome.Refused, quarantinedAgain.Outcome);
        Assert.Contains("quarantine folder", quarantinedAgain.Reason, StringComparison.Ordinal);
        Assert.Equal(DeletionOutcome.Refused, deleted.Outcome);
        Assert.Equal(DeletionOutcome.Refused, folder.Outcome);
        Assert.True(File.Exists(Path.Combine(inside, "out.tif")));
    }

    [Fact]
    public async Task Orphan_sweep_never_takes_the_quarantine_folder_for_an_orphan()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));
        await _h.Cleaner.RunAsync(CleanupRequest.Default);
        _h.Tree.File("results/gone-job/out.tif", 700);
        var old = (CleanupHarness.Now - TimeSpan.FromDays(30)).UtcDateTime;
        foreach (var path in Directory.EnumerateFileSystemEntries(_h.Tree.Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(path, old); // everything old enough to be an orphan, the quarantine included
        }

        var report = await _h.Services.GetRequiredService<IOrphanSweeper>().SweepAsync(new OrphanSweepRequest { Delete = true });

        Assert.Equal([Path.Combine(_h.Results, "gone-job")], report.Orphans.Select(o => o.Path));
        Assert.Equal(0, report.TooYoung);
        Assert.Equal(2, (await Quarantine.ListAsync()).Count);
    }
}
