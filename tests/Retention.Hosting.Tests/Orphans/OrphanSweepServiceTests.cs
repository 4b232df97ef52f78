using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Orphans;

public sealed class OrphanSweepServiceTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task Lists_old_orphans_on_its_schedule_and_deletes_nothing_by_default()
    {
        var ghost = Orphan("results/ghost-job/out.tif", TimeSpan.FromDays(3));
        var young = Orphan("results/still-writing/out.tif", TimeSpan.FromHours(1));
        _h.SeedJob("known", JobStatus.Succeeded, TimeSpan.FromDays(1));
        var host = _h.Build(o => { o.Orphans.Enabled = true; o.Orphans.Schedule = "04:00"; });
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(3));

        _h.Time.Advance(TimeSpan.FromHours(3));
        await _h.Logs.WaitForAsync("Orphan sweep");

        Assert.Contains(_h.Logs.Messages, m => m.StartsWith($"Orphan: {Path.GetDirectoryName(ghost)}", StringComparison.Ordinal));
        Assert.Contains("Orphan sweep listed (dry run): 1 orphaned path(s), 100 B; 1 too young to touch", _h.Logs.Messages);
        Assert.True(File.Exists(ghost));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public async Task Deletes_old_orphans_when_enabled_and_keeps_referenced_and_young_paths()
    {
        var ghost = Orphan("uploads/ghost-job_dem.tif", TimeSpan.FromDays(3));
        var young = Orphan("uploads/new-upload_dem.tif", TimeSpan.FromHours(1));
        _h.SeedJob("known", JobStatus.Running, TimeSpan.FromDays(3));
        foreach (var file in Directory.EnumerateFileSystemEntries(_h.Tree.Root, "*", SearchOption.AllDirectories))
        {
            if (file.Contains("known", StringComparison.Ordinal))
            {
                File.SetLastWriteTimeUtc(file, (HostHarness.Start - TimeSpan.FromDays(3)).UtcDateTime);
            }
        }

        var host = _h.Build(o => { o.Orphans.Enabled = true; o.Orphans.Delete = true; o.Orphans.Schedule = "every 1h"; });
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Logs.WaitForAsync("Orphan sweep");

        Assert.False(File.Exists(ghost));
        Assert.True(File.Exists(young));
        Assert.True(File.Exists(Path.Combine(_h.Results, "known", "out.tif")));
        Assert.True(File.Exists(Path.Combine(_h.Uploads, "known_dem.tif")));
    }

    private string Orphan(string relative, TimeSpan age)
    {
        var path = _h.Tree.File(relative, 100);
        var at = (HostHarness.Start - age).UtcDateTime;
        File.SetLastWriteTimeUtc(path, at);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(path)!, at);
        return path;
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
