using Retention.Deletion;
using Retention.Tests.Support;
using Xunit.Abstractions;

namespace Retention.Tests.Deletion;

/// <summary>The deleter as a hostile or careless job owner meets it, on real folders: every case of the safety model that a path-based walk loses.</summary>
public sealed class DescriptorDeletionTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly string _uploads;
    private readonly string _results;
    private readonly string _outside;
    private readonly SafeDeleter _deleter;
    private readonly ITestOutputHelper _output;

    public DescriptorDeletionTests(ITestOutputHelper output)
    {
        _output = output;
        _uploads = _tree.Dir("uploads");
        _results = _tree.Dir("results");
        _outside = _tree.Dir("outside");
        _deleter = new SafeDeleter([_uploads, _results]);
    }

    public void Dispose() => _tree.Dispose();

    [LinuxFact]
    public async Task A_racing_writer_that_swaps_folders_for_links_never_leads_the_deletion_outside()
    {
        const int Deletions = 200;
        const int Canaries = 100;
        for (var i = 0; i < Canaries; i++)
        {
            _tree.File($"outside/canary-{i}", 10);
        }

        var redirected = 0;
        for (var run = 0; run < Deletions; run++)
        {
            var job = Path.Combine(_results, $"job-{run}");
            for (var d = 0; d < 4; d++)
            {
                for (var f = 0; f < 100; f++)
                {
                    _tree.File($"results/job-{run}/d{d}/f{f}", 1);
                }
            }

            // The job's owner, in a loop until the deletion ends: a subfolder renamed away and a link to the outside in its place.
            using var done = new CancellationTokenSource();
            var attacker = Task.Run(() =>
            {
                var swap = 0;
                while (!done.IsCancellationRequested)
                {
                    var folder = Path.Combine(job, $"d{swap++ % 4}");
                    try
                    {
                        Directory.Move(folder, Path.Combine(_results, $"aside-{run}-{swap}"));
                        Directory.CreateSymbolicLink(folder, _outside);
                        Interlocked.Increment(ref redirected);
                    }
                    catch (IOException)
                    {
                        // The folder is gone or already swapped: try the next.
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            });

            await _deleter.DeleteAsync(job);
            await done.CancelAsync();
            await attacker;

            Assert.Equal(Canaries, Directory.GetFiles(_outside).Length);
        }

        // The race was really run: links were put in place while deletions walked.
        _output.WriteLine($"{Deletions} deletions, {redirected} folders swapped for links to the outside, {Canaries - Directory.GetFiles(_outside).Length} canaries lost");
        Assert.True(redirected > 0);
        Assert.Equal(Canaries, Directory.GetFiles(_outside).Length);
    }

    [LinuxFact]
    public async Task A_folder_swapped_for_a_link_is_unlinked_not_entered()
    {
        _tree.File("results/job-1/a/f", 10);
        _tree.File("outside/keep", 10);
        Directory.Move(_tree.Path_("results/job-1/a"), _tree.Path_("results/aside"));
        Directory.CreateSymbolicLink(_tree.Path_("results/job-1/a"), _outside);

        var result = await _deleter.DeleteAsync(_tree.Path_("results/job-1"));

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.True(File.Exists(_tree.Path_("outside/keep")));
        Assert.False(Directory.Exists(_tree.Path_("results/job-1")));
    }

    [MountFact]
    public async Task A_mount_inside_a_jobs_folder_is_refused_by_name_not_emptied_not_retried()
    {
        _tree.File("results/job-1/own", 10);
        var mount = _tree.Dir("results/job-1/scratch");
        RawFiles.Mount("-t", "tmpfs", "tmpfs", mount);
        try
        {
            File.WriteAllText(Path.Combine(mount, "on-another-file-system"), "kept");

            var result = await _deleter.DeleteAsync(_tree.Path_("results/job-1"));

            Assert.Equal(DeletionOutcome.Failed, result.Outcome);
            Assert.False(result.IsTransient);
            Assert.Contains("mount point", result.Reason, StringComparison.Ordinal);
            Assert.Contains(mount, result.Reason, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(mount, "on-another-file-system")));
            Assert.False(result.IsGone);
        }
        finally
        {
            RawFiles.Unmount(mount);
        }
    }

    [MountFact]
    public async Task A_bind_mount_of_the_same_file_system_is_refused_too_at_the_leaf_and_below()
    {
        _tree.File("outside/precious", 10);
        var bind = _tree.Dir("results/job-1/linked");
        RawFiles.Mount("--bind", _outside, bind);
        try
        {
            var below = await _deleter.DeleteAsync(_tree.Path_("results/job-1"));
            var leaf = await _deleter.DeleteAsync(bind);
            var through = await _deleter.DeleteAsync(Path.Combine(bind, "precious"));

            Assert.Equal(DeletionOutcome.Failed, below.Outcome);
            Assert.Contains("mount point", below.Reason, StringComparison.Ordinal);
            Assert.Equal(DeletionOutcome.Refused, leaf.Outcome);
            Assert.Equal(DeletionOutcome.Refused, through.Outcome);
            Assert.True(File.Exists(_tree.Path_("outside/precious")));
        }
        finally
        {
            RawFiles.Unmount(bind);
        }
    }

    [LinuxFact]
    public async Task Names_that_are_not_utf_8_are_deleted_by_their_exact_bytes()
    {
        var job = _tree.Dir("results/job-1");
        RawFiles.CreateFile(job, [0xff], 100);
        RawFiles.CreateDirectory(job, [(byte)'d', 0xfe]);
        RawFiles.CreateFile(job, [(byte)'d', 0xfe, (byte)'/', (byte)'x', 0xff], 7); // inside the folder named d\xfe
        File.WriteAllBytes(Path.Combine(job, "x\uFFFD"), new byte[3]); // a real U+FFFD beside x\xff

        var measured = await _deleter.MeasureAsync(job);
        var deleted = await _deleter.DeleteAsync(job);

        Assert.Equal(DeletionOutcome.Measured, measured.Outcome);
        Assert.Equal(110, measured.Bytes);
        Assert.Equal(DeletionOutcome.Deleted, deleted.Outcome);
        Assert.Equal(110, deleted.Bytes);
        Assert.Equal(3, deleted.Files);
        Assert.False(Directory.Exists(job));
    }

    [LinuxFact]
    public async Task An_artifact_whose_name_is_not_utf_8_is_refused_never_reported_missing()
    {
        RawFiles.CreateFile(_uploads, [.. "job-1_"u8, 0xff, .. ".tif"u8], 100);
        var decoded = Path.Combine(_uploads, "job-1_\uFFFD.tif"); // how .NET lists it

        var result = await _deleter.DeleteAsync(decoded);

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("not valid UTF-8", result.Reason, StringComparison.Ordinal);
        Assert.True(RawFiles.Exists(_uploads, [.. "job-1_"u8, 0xff, .. ".tif"u8]));
    }

    [LinuxFact]
    public async Task A_real_replacement_character_beside_an_undecodable_twin_is_refused_not_confused()
    {
        RawFiles.CreateFile(_uploads, [(byte)'x', 0xff], 5);
        File.WriteAllBytes(Path.Combine(_uploads, "x\uFFFD"), new byte[3]);

        var result = await _deleter.DeleteAsync(Path.Combine(_uploads, "x\uFFFD"));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.True(RawFiles.Exists(_uploads, [(byte)'x', 0xff]));
        Assert.True(File.Exists(Path.Combine(_uploads, "x\uFFFD")));
    }

    [LinuxFact]
    public async Task A_tree_deeper_than_path_max_is_deleted_with_an_outcome()
    {
        var job = _tree.Dir("results/job-deep");
        RawFiles.CreateDeepTree(job, 5_000, 1234);

        var measured = await _deleter.MeasureAsync(job);
        var deleted = await _deleter.DeleteAsync(job);

        Assert.Equal(DeletionOutcome.Measured, measured.Outcome);
        Assert.Equal(1234, measured.Bytes);
        Assert.Equal(DeletionOutcome.Deleted, deleted.Outcome);
        Assert.Equal(1234, deleted.Bytes);
        Assert.Equal(1, deleted.Files);
        Assert.False(Directory.Exists(job));
    }

    [LinuxFact]
    public async Task A_file_with_another_hard_link_outside_frees_nothing_and_both_links_inside_count_once()
    {
        var shared = _tree.File("results/job-1/shared.bin", 1 << 20);
        RawFiles.HardLink(shared, _tree.Path_("outside/second-name"));
        var twice = _tree.File("results/job-2/a.bin", 4096);
        RawFiles.HardLink(twice, _tree.Path_("results/job-2/b.bin"));

        var measuredShared = await _deleter.MeasureAsync(_tree.Path_("results/job-1"));
        var shared1 = await _deleter.DeleteAsync(_tree.Path_("results/job-1"));
        var measuredTwice = await _deleter.MeasureAsync(_tree.Path_("results/job-2"));
        var twice1 = await _deleter.DeleteAsync(_tree.Path_("results/job-2"));

        Assert.Equal(0, measuredShared.Bytes);
        Assert.Equal(DeletionOutcome.Deleted, shared1.Outcome);
        Assert.Equal(0, shared1.Bytes);
        Assert.Equal(0, shared1.AllocatedBytes);
        Assert.Equal(1, shared1.Files);
        Assert.True(File.Exists(_tree.Path_("outside/second-name")));
        Assert.Equal(4096, measuredTwice.Bytes);
        Assert.Equal(4096, twice1.Bytes);
        Assert.Equal(2, twice1.Files);
    }

    [LinuxFact]
    public async Task Hard_links_count_when_the_last_link_goes_deleting_as_measuring()
    {
        var three = _tree.File("results/job-1/a.bin", 100_000);
        RawFiles.HardLink(three, _tree.Path_("results/job-1/b.bin"));
        RawFiles.HardLink(three, _tree.Path_("results/job-1/c.bin"));
        var kept = _tree.File("results/job-2/a.bin", 100_000);
        RawFiles.HardLink(kept, _tree.Path_("results/job-2/b.bin"));
        RawFiles.HardLink(kept, _tree.Path_("outside/c.bin"));

        var measuredThree = await _deleter.MeasureAsync(_tree.Path_("results/job-1"));
        var deletedThree = await _deleter.DeleteAsync(_tree.Path_("results/job-1"));
        var measuredKept = await _deleter.MeasureAsync(_tree.Path_("results/job-2"));
        var deletedKept = await _deleter.DeleteAsync(_tree.Path_("results/job-2"));

        Assert.Equal(100_000, measuredThree.Bytes);
        Assert.Equal(100_000, deletedThree.Bytes);
        Assert.Equal(3, deletedThree.Files);
        Assert.Equal(0, measuredKept.Bytes);
        Assert.Equal(0, deletedKept.Bytes);
        Assert.Equal(0, deletedKept.AllocatedBytes);
    }

    [LinuxFact]
    public async Task A_folder_on_the_way_whose_name_is_not_utf_8_is_refused_never_reported_missing()
    {
        RawFiles.CreateDirectory(_results, [(byte)'j', 0xff]);
        RawFiles.CreateFile(_results, [(byte)'j', 0xff, (byte)'/', (byte)'o', (byte)'u', (byte)'t'], 10);

        var result = await _deleter.DeleteAsync(Path.Combine(_results, "j\uFFFD", "out"));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.True(RawFiles.Exists(_results, [(byte)'j', 0xff, (byte)'/', (byte)'o', (byte)'u', (byte)'t']));
    }

    [LinuxFact]
    public void The_descriptor_walk_is_in_use_here_and_on_the_ci_machine() =>
        Assert.True(Retention.Deletion.Linux.DescriptorDeleter.IsSupported, "the probe found the calls missing or a link followed");

    [Fact]
    public void Roots_inside_the_systems_own_trees_are_refused()
    {
        foreach (var root in new[] { "/usr/lib", "/etc/ssl", "/proc/1" }.Where(Directory.Exists))
        {
            var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter([root]));
            Assert.Contains("inside the system folder", error.Message, StringComparison.Ordinal);
        }
    }

    [LinuxFact]
    public async Task Allocated_bytes_are_reported_beside_the_logical_size()
    {
        var job = _tree.Dir("results/job-1");
        File.WriteAllBytes(Path.Combine(job, "small"), [1]);
        using (var sparse = File.Create(Path.Combine(job, "sparse")))
        {
            sparse.SetLength(10 << 20); // ten MiB that hold no blocks
        }

        var result = await _deleter.DeleteAsync(job);

        Assert.Equal(1 + (10 << 20), result.Bytes);
        Assert.InRange(result.AllocatedBytes, 512, 1 << 20); // the one byte's block, not the sparse file's size
    }

    [LinuxFact]
    public async Task A_root_replaced_after_start_is_no_longer_deleted_through()
    {
        _tree.File("results/job-1/f", 10);
        Directory.Move(_results, _tree.Path_("results-moved"));
        _tree.File("results/job-1/g", 10); // a new folder of the same name

        var result = await _deleter.DeleteAsync(_tree.Path_("results/job-1"));

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("no longer the folder validated at start", result.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(_tree.Path_("results/job-1/g")));
    }

    [LinuxFact]
    public async Task A_path_that_is_not_valid_unicode_is_refused_not_thrown()
    {
        var result = await _deleter.DeleteAsync(_results + "/job-\uD800");

        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.Contains("not valid Unicode", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_is_a_link_to_the_file_system_root_is_refused_naming_where_it_leads()
    {
        var link = _tree.Path_("slash");
        Directory.CreateSymbolicLink(link, "/");

        var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter([link]));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Contains("leads to '/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_passes_through_a_link_is_refused_and_its_resolved_path_is_accepted()
    {
        var real = _tree.Dir("real/data");
        var link = _tree.Path_("via");
        Directory.CreateSymbolicLink(link, _tree.Path_("real"));

        var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter([Path.Combine(link, "data")]));
        var accepted = new SafeDeleter([real]);

        Assert.Contains($"name '{real}' itself", error.Message, StringComparison.Ordinal);
        Assert.Equal([real], accepted.Roots);
    }

    [Theory]
    [InlineData("/tmp")]
    [InlineData("/tmp/.")]
    [InlineData("/var/tmp")]
    [InlineData("/usr")]
    [InlineData("/etc")]
    [InlineData("/var")]
    [InlineData("/proc")]
    [InlineData("/dev")]
    [InlineData("/home")]
    public void System_folders_are_refused_as_roots(string root)
    {
        if (!Directory.Exists(root))
        {
            return; // not on this system: nothing to refuse
        }

        var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter([root]));

        Assert.Contains("system folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_under_tmp_is_accepted_as_a_root() =>
        Assert.Equal([_results], new SafeDeleter([_results]).Roots);

    [Fact]
    public void A_relative_root_needs_a_base_path_and_resolves_against_it()
    {
        var error = Assert.Throws<RetentionConfigurationException>(() => new DeletionRoots(["results"]));
        var roots = new DeletionRoots(["results"], _tree.Root);

        Assert.Contains("relative path", error.Message, StringComparison.Ordinal);
        Assert.Contains("BasePath", error.Message, StringComparison.Ordinal);
        Assert.Equal([_results], roots.Paths);
    }
}
