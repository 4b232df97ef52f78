using System.Text.RegularExpressions;

namespace Retention.Cli.Tests;

/// <summary>
/// <c>--compatible</c>: the lines and audit rows the old cleanup script wrote, compared with its documented output
/// (Seeds/). Sizes are real: sparse files of 250 MB and 15 GB that take no disk.
/// </summary>
public sealed partial class ClassicOutputTests : IDisposable
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;
    private readonly Installation _site = new();

    public ClassicOutputTests()
    {
        // Three successful jobs freeing 44.7 GB (printed "45 GB"), two failed jobs freeing 500 MB.
        Job("job-20240115-123456", "completed", TimeSpan.FromDays(8.2), upload: 250 * MiB, results: 15 * GiB);
        Job("job-20240115-140000", "completed", TimeSpan.FromDays(8.1), upload: 0, results: 29 * GiB / 2);
        Job("job-20240116-090000", "completed", TimeSpan.FromDays(7.5), upload: 0, results: 15 * GiB);
        Job("job-20240119-010000", "failed", TimeSpan.FromDays(1), upload: 0, results: 250 * MiB);
        Job("job-20240119-020000", "failed", TimeSpan.FromDays(1), upload: 0, results: 250 * MiB);
        Job("job-20240119-230000", "running", TimeSpan.FromHours(3), upload: 250 * MiB, results: GiB);
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_verbose_run_prints_the_old_scripts_lines_in_their_order()
    {
        var seed = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Seeds", "verbose-output.txt"));

        var (exit, output, error) = await _site.Run("clean", "--compatible", "--verbose");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        AssertInOrder(seed, lines);
        Assert.All(lines, line => Assert.True(seed.Any(s => SameShape(s, line)), $"a line the old script never printed: '{line}'"));
        Assert.Equal("[INFO] Starting job cleanup process...", lines[0]);
        Assert.Equal(["[INFO] Cleaned 3 successful jobs (freed 45 GB)", "[INFO] Cleaned 2 failed jobs (freed 500 MB)", "[INFO] Cleanup completed successfully"], lines[^3..]);
        Assert.Equal(5, lines.Count(l => l == "[INFO] Updated database: marked job as cleaned"));
    }

    [Fact]
    public async Task A_dry_run_prints_the_old_scripts_preview()
    {
        var seed = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Seeds", "dry-run-output.txt"));

        // The failed jobs are kept for two days here, so the preview is the seed's three jobs.
        var (exit, output, _) = await _site.Run("clean", "--compatible", "--dry-run", "--verbose", "--failed-retention", "48");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        AssertInOrder(seed, lines);
        Assert.All(lines, line => Assert.True(seed.Any(s => SameShape(s, line)), $"a line the old script never printed: '{line}'"));
    }

    [Fact]
    public async Task Audit_rows_take_the_old_tables_formats()
    {
        var (exit, _, _) = await _site.Run("clean", "--compatible");

        Assert.Equal(0, exit);
        var row = _site.Scalar("SELECT timestamp || '|' || action || '|' || typeof(space_freed_mb) || '|' || space_freed_mb || '|' || user FROM cleanup_audit WHERE job_id = 'job-20240115-123456'") as string;
        Assert.NotNull(row);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\|deleted_results\|integer\|15610\|auto_cleanup$", row);
    }

    [Fact]
    public async Task Without_the_flag_the_tools_own_lines_and_audit_rows_are_kept()
    {
        var (exit, output, _) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("[INFO] Checking job", output, StringComparison.Ordinal);
        Assert.Contains("Cleaning job job-20240115-123456 (status: completed, age: 8.2 days)", output, StringComparison.Ordinal);
        Assert.Equal("deleted_data", _site.Scalar("SELECT action FROM cleanup_audit WHERE job_id = 'job-20240115-123456'"));
    }

    // Every seed line appears, in the seed's order (the tool prints more jobs than the seed's one example).
    private static void AssertInOrder(string[] seed, string[] lines)
    {
        var at = 0;
        foreach (var expected in seed)
        {
            var found = Array.IndexOf(lines, expected, at);
            Assert.True(found >= 0, $"missing, or out of order: '{expected}'\nprinted:\n{string.Join('\n', lines)}");
            at = found + 1;
        }
    }

    // The same line with other job ids, statuses, numbers and units: what a log scraper's pattern for the seed line accepts.
    private static bool SameShape(string seedLine, string line) => Shape(seedLine) == Shape(line);

    private static string Shape(string line) => Units().Replace(Numbers().Replace(Statuses().Replace(JobIds().Replace(line, "JOB"), "STATUS"), "N"), "N UNIT");

    [GeneratedRegex(@"job-\d{8}-\d{6}")]
    private static partial Regex JobIds();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"\b(completed|failed|cancelled)\b")]
    private static partial Regex Statuses();

    [GeneratedRegex(@"N (B|KB|MB|GB|TB)\b")]
    private static partial Regex Units();

    private void Job(string id, string status, TimeSpan age, long upload, long results)
    {
        _site.Job(id, status, age, outputBytes: 0);
        File.Delete(Path.Combine(_site.Root, "uploads", $"{id}_dem.tif"));
        Directory.Delete(Path.Combine(_site.Root, "results", id), recursive: true);
        if (upload > 0)
        {
            Sparse(Path.Combine(_site.Root, "uploads", $"{id}_dem.tif"), upload);
        }

        Directory.CreateDirectory(Path.Combine(_site.Root, "results", id));
        Sparse(Path.Combine(_site.Root, "results", id, "eemt_output.tif"), results);
    }

    private static void Sparse(string path, long length)
    {
        using var file = File.Create(path);
        file.SetLength(length);
    }
}
