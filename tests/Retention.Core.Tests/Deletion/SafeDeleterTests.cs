using Retention.Deletion;

namespace Retention.Tests.Deletion;

public sealed class SafeDeleterTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly string _uploads;
    private readonly string _results;
    private readonly SafeDeleter _deleter;

    public SafeDeleterTests()
    {
        _uploads = _tree.Dir("uploads");
        _results = _tree.Dir("results");
        _deleter = new SafeDeleter([_uploads, _results]);
    }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task Delete_file_frees_its_bytes()
    {
        var file = _tree.File("uploads/job-1_dem.tif", 2500);

        var result = await _deleter.DeleteAsync(file);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(2500, result.Bytes);
        Assert.Equal(1, result.Files);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Delete_tree_counts_every_file_in_the_same_walk()
    {
        _tree.File("results/job-1/a.tif", 1000);
        _tree.File("results/job-1/sub/b.tif", 2000);
        _tree.File("results/job-1/sub/deeper/c.txt", 3);
        _tree.Dir("results/job-1/empty");

        var result = await _deleter.DeleteAsync(Path.Combine(_results, "job-1"));

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(3003, result.Bytes);
        Assert.Equal(3, result.Files);
        Assert.False(Directory.Exists(Path.Combine(_results, "job-1")));
        Assert.True(Directory.Exists(_results));
    }

    [Fact]
    public async Task Measure_counts_the_same_bytes_and_deletes_nothing()
    {
        _tree.File("results/job-1/a.tif", 1000);
        _tree.File("results/job-1/sub/b.tif", 2000);
        var path = Path.Combine(_results, "job-1");

        var measured = await _deleter.MeasureAsync(path);

        Assert.Equal(DeletionOutcome.Measured, measured.Outcome);
        Assert.Equal(3000, measured.Bytes);
        Assert.True(File.Exists(Path.Combine(path, "sub", "b.tif")));
        var deleted = await _deleter.DeleteAsync(path);
        Assert.Equal(measured.Bytes, deleted.Bytes);
        Assert.Equal(measured.Files, deleted.Files);
    }

    [Fact]
    public async Task Delete_missing_is_reported_missing()
    {
        var result = await _deleter.DeleteAsync(Path.Combine(_results, "never-existed"));

        Assert.Equal(DeletionOutcome.Missing, result.Outcome);
        Assert.True(result.IsGone);
    }

    [Fact]
    public async Task Delete_read_only_file_is_deleted()
    {
        var file = _tree.File("uploads/job-2_input.bin", 10);
        File.SetAttributes(file, FileAttributes.ReadOnly);

        var result = await _deleter.DeleteAsync(file);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Root_itself_is_refused()
    {
        _tree.File("results/keep.txt", 5);

        var result = await _deleter.DeleteAsync(_results);
        var withSlash = await _deleter.DeleteAsync(_results + "/");

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("configured root", result.Reason, StringComparison.Ordinal);
        Assert.Equal(DeletionOutcome.Refused, withSlash.Outcome);
        Assert.True(File.Exists(Path.Combine(_results, "keep.txt")));
    }

    [Theory]
    [InlineData("results/../outside")]
    [InlineData("results/job-1/../../outside")]
    [InlineData("results/job-1/../job-2")]
    public async Task Dot_dot_segments_are_refused(string relative)
    {
        var outside = _tree.File("outside/secret.txt", 7);
        _tree.File("results/job-2/x", 1);

        var result = await _deleter.DeleteAsync(Path.Combine(_tree.Root, relative));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("'..'", result.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(outside));
        Assert.True(File.Exists(_tree.Path_("results/job-2/x")));
    }

    [Fact]
    public async Task Absolute_path_elsewhere_is_refused()
    {
        var outside = _tree.File("elsewhere/data.bin", 7);

        var result = await _deleter.DeleteAsync(outside);

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("outside the configured roots", result.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public async Task Sibling_with_the_root_as_prefix_is_refused()
    {
        var sibling = _tree.File("uploads2/job-1_dem.tif", 7);

        var result = await _deleter.DeleteAsync(sibling);

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.True(File.Exists(sibling));
    }

    [Fact]
    public async Task Path_with_a_nul_character_is_refused()
    {
        var result = await _deleter.DeleteAsync(_results + "/job\0x");

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("NUL", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relative_path_is_refused()
    {
        var result = await _deleter.DeleteAsync("results/job-1");

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("not an absolute path", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_at_the_top_is_refused_and_its_target_untouched()
    {
        var target = _tree.File("outside/precious/data.bin", 100);
        var link = Path.Combine(_results, "job-1");
        Directory.CreateSymbolicLink(link, Path.GetDirectoryName(target)!);

        var result = await _deleter.DeleteAsync(link);

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("symbolic link", result.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(target));
    }

    [Fact]
    public async Task Path_through_a_linked_component_is_refused()
    {
        var target = _tree.File("outside/precious/data.bin", 100);
        Directory.CreateSymbolicLink(Path.Combine(_results, "job-1"), Path.GetDirectoryName(target)!);

        var result = await _deleter.DeleteAsync(Path.Combine(_results, "job-1", "data.bin"));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.True(File.Exists(target));
    }

    [Fact]
    public async Task Links_inside_a_tree_are_removed_their_targets_untouched()
    {
        var outsideFile = _tree.File("outside/file.bin", 100);
        var outsideDir = Path.GetDirectoryName(_tree.File("outside/dir/inner.bin", 200))!;
        _tree.File("results/job-1/real.bin", 50);
        File.CreateSymbolicLink(_tree.Path_("results/job-1/file-link"), outsideFile);
        Directory.CreateSymbolicLink(_tree.Path_("results/job-1/dir-link"), outsideDir);
        File.CreateSymbolicLink(_tree.Path_("results/job-1/dangling"), _tree.Path_("nowhere"));

        var measured = await _deleter.MeasureAsync(_tree.Path_("results/job-1"));
        var result = await _deleter.DeleteAsync(_tree.Path_("results/job-1"));

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(50, result.Bytes); // the links' targets are not counted, nor followed
        Assert.Equal(4, result.Files);
        Assert.Equal(result.Bytes, measured.Bytes);
        Assert.False(Directory.Exists(_tree.Path_("results/job-1")));
        Assert.True(File.Exists(outsideFile));
        Assert.True(File.Exists(Path.Combine(outsideDir, "inner.bin")));
    }

    [Fact]
    public async Task Tree_of_ten_thousand_files_is_deleted_and_counted()
    {
        var job = _tree.Dir("results/big-job");
        for (var d = 0; d < 100; d++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(job, $"d{d:000}")).FullName;
            for (var f = 0; f < 100; f++)
            {
                File.WriteAllBytes(Path.Combine(dir, $"f{f:000}"), new byte[(f % 7) + 1]);
            }
        }

        var expectedBytes = 100L * Enumerable.Range(0, 100).Sum(f => (f % 7) + 1);

        var measured = await _deleter.MeasureAsync(job);
        var result = await _deleter.DeleteAsync(job);

        Assert.Equal(10_000, measured.Files);
        Assert.Equal(expectedBytes, measured.Bytes);
        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(10_000, result.Files);
        Assert.Equal(expectedBytes, result.Bytes);
        Assert.False(Directory.Exists(job));
    }

    [Fact]
    public async Task Cancelled_walk_stops()
    {
        _tree.File("results/job-1/a", 1);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await _deleter.DeleteAsync(_tree.Path_("results/job-1"), cancel.Token));
        Assert.True(File.Exists(_tree.Path_("results/job-1/a")));
    }

    [Fact]
    public void File_system_root_is_a_configuration_error()
    {
        var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter(["/"]));

        Assert.Contains("filesystem root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_directory_is_a_configuration_error()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter([home]));

        Assert.Contains("home directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_root_is_a_configuration_error()
    {
        var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter([_tree.Path_("nope")]));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_roots_is_a_configuration_error() =>
        Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter(Array.Empty<string>()));
}
