using Microsoft.Extensions.DependencyInjection;
using Retention.Deletion;
using Retention.Orphans;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

public sealed class OrphanSweeperTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    private IOrphanSweeper Sweeper => _h.Services.GetRequiredService<IOrphanSweeper>();

    private void Aged(string relative, int bytes, TimeSpan age)
    {
        var path = _h.Tree.File(relative, bytes);
        var time = (CleanupHarness.Now - age).UtcDateTime;
        File.SetLastWriteTimeUtc(path, time);
        for (var dir = Path.GetDirectoryName(path)!; dir.Length > _h.Tree.Root.Length; dir = Path.GetDirectoryName(dir)!)
        {
            Directory.SetLastWriteTimeUtc(dir, time);
        }
    }

    [Fact]
    public async Task Finds_only_old_paths_no_job_references_and_deletes_nothing_unless_asked()
    {
        var job = _h.SeedJob("job-1", JobStatus.Succeeded, TimeSpan.FromDays(1));
        _h.Store.Upsert(job with { Artifacts = [new JobArtifact(ArtifactKind.Log, Path.Combine(_h.Results, "shared", "job-1.log"))] });
        Aged("results/shared/job-1.log", 5, TimeSpan.FromDays(30));     // recorded by the store: referenced, and so is its folder
        Aged("results/shared/other.log", 5, TimeSpan.FromDays(30));
        Aged("uploads/job-1_more.tif", 9, TimeSpan.FromDays(30));       // job-1's by convention
        Aged("uploads/gone-job_dem.tif", 300, TimeSpan.FromDays(30));   // nobody's
        Aged("results/gone-job/out.tif", 700, TimeSpan.FromDays(30));   // nobody's
        Aged("results/new-job/out.tif", 50, TimeSpan.FromHours(1));     // nobody's, but young
        Directory.CreateSymbolicLink(Path.Combine(_h.Results, "link"), _h.Tree.Dir("elsewhere"));

        var listed = await Sweeper.SweepAsync(new OrphanSweepRequest());

        Assert.Equal(
            [Path.Combine(_h.Uploads, "gone-job_dem.tif"), Path.Combine(_h.Results, "gone-job")],
            listed.Orphans.Select(o => o.Path).Order(StringComparer.Ordinal).Reverse());
        Assert.All(listed.Orphans, o => Assert.Equal(DeletionOutcome.Measured, o.Outcome));
        Assert.Equal(1000, listed.Bytes);
        Assert.Equal(1, listed.TooYoung);
        Assert.True(File.Exists(Path.Combine(_h.Uploads, "gone-job_dem.tif")));

        var deleted = await Sweeper.SweepAsync(new OrphanSweepRequest { Delete = true });

        Assert.All(deleted.Orphans, o => Assert.Equal(DeletionOutcome.Deleted, o.Outcome));
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "gone-job_dem.tif")));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "gone-job")));
        Assert.True(File.Exists(Path.Combine(_h.Results, "shared", "other.log")));
        Assert.True(File.Exists(Path.Combine(_h.Uploads, "job-1_more.tif")));
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "new-job")));
        Assert.True(Directory.Exists(_h.Tree.Path_("elsewhere")));
    }

    [Fact]
    public async Task A_quarantine_left_by_a_renamed_folder_name_is_never_swept()
    {
        // Quarantined under the old default name; the host has since set Quarantine:FolderName to something else.
        Aged(".retention-quarantine/job-1/20240110T000000Z/job-1/out.tif", 500, TimeSpan.FromDays(10));
        Aged(".retention-quarantine/job-1/20240110T000000Z.jsonl", 80, TimeSpan.FromDays(10));
        Directory.Move(Path.Combine(_h.Tree.Root, ".retention-quarantine"), Path.Combine(_h.Results, ".retention-quarantine"));
        _h.Build(configure: o => o.Quarantine.FolderName = ".staged");

        var report = await Sweeper.SweepAsync(new OrphanSweepRequest { Delete = true });

        Assert.Empty(report.Orphans);
        Assert.True(File.Exists(Path.Combine(_h.Results, ".retention-quarantine", "job-1", "20240110T000000Z", "job-1", "out.tif")));
    }
}
