using Retention.Artifacts;

namespace Retention.Tests.Cleanup;

/// <summary>
/// Finding a job's files by convention from directory listings: what a listing may answer alone, what it leaves to the
/// file system, and how stale it may get.
/// </summary>
public sealed class ConventionLocatorTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void A_listing_answers_exact_names_and_leaves_other_cases_and_non_ascii_ids_to_the_file_system()
    {
        _tree.Dir("results/job-a");
        _tree.Dir("results/JOB-C");

        var listing = DirectoryListing.Read(_tree.Path_("results"), _clock);

        Assert.Equal(DirectoryListing.Lookup.Present, listing.Find("job-a"));
        Assert.Equal(DirectoryListing.Lookup.Absent, listing.Find("job-b"));
        Assert.Equal(DirectoryListing.Lookup.Ask, listing.Find("job-c"));
        Assert.Equal(DirectoryListing.Lookup.Present, listing.Find("JOB-C"));
        Assert.Equal(DirectoryListing.Lookup.Ask, listing.Find("jöb-d"));
        Assert.Equal(DirectoryListing.Lookup.Absent, DirectoryListing.Read(_tree.Path_("missing"), _clock).Find("job-a"));
    }

    [Fact]
    public void A_directory_holding_names_that_are_not_ascii_leaves_every_name_it_lacks_to_the_file_system()
    {
        // A case-insensitive file system takes "\u212Aey" (a Kelvin sign, then "ey") for "key"; an ordinal comparison does not.
        _tree.Dir("results/\u212Aey");
        _tree.Dir("results/job-a");

        var listing = DirectoryListing.Read(_tree.Path_("results"), _clock);

        Assert.Equal(DirectoryListing.Lookup.Ask, listing.Find("key"));
        Assert.Equal(DirectoryListing.Lookup.Ask, listing.Find("job-b"));
        Assert.Equal(DirectoryListing.Lookup.Present, listing.Find("job-a"));
    }

    [Fact]
    public void A_directory_that_cannot_be_read_leaves_exact_names_to_the_file_system_and_fails_prefix_lookups()
    {
        var unreadable = Path.Combine(_tree.Dir("results"), new string('a', 300)); // too long a name: the listing fails with an IOException

        var listing = DirectoryListing.Read(unreadable, _clock);

        Assert.Equal(DirectoryListing.Lookup.Ask, listing.Find("job-a"));
        Assert.ThrowsAny<IOException>(() => listing.StartingWithIgnoringCase("job-a_").Length);
    }

    [Fact]
    public void A_prefix_range_holds_every_case_of_the_prefix_even_among_names_equal_but_for_case()
    {
        foreach (var name in new[] { "a_", "A_", "a_1", "A_2", "a_3", "a", "b_1", "a-1" })
        {
            _tree.File("uploads/" + name, 1);
        }

        var listing = DirectoryListing.Read(_tree.Path_("uploads"), _clock);

        var range = listing.StartingWithIgnoringCase("a_").ToArray();

        Assert.Equal(new[] { "A_", "A_2", "a_", "a_1", "a_3" }, range.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Files_that_appear_after_the_listing_are_seen_once_it_is_a_few_seconds_old()
    {
        _tree.Dir("results/job-a");
        var locator = Locator("{jobId}");

        Assert.Single(Locate(locator, "job-a"));
        Assert.Empty(Locate(locator, "job-b"));

        _tree.Dir("results/job-b");
        Assert.Empty(Locate(locator, "job-b")); // the same listing: at most a few seconds behind the disk
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(_tree.Path_("results/job-b"), Assert.Single(Locate(locator, "job-b")).Path);
    }

    [Fact]
    public void A_name_in_another_case_is_the_jobs_only_where_the_file_system_says_so()
    {
        _tree.Dir("results/JOB-C");
        var locator = Locator("{jobId}");

        // This file system is case-sensitive (Linux): results/job-c is not there.
        Assert.Equal(File.Exists(_tree.Path_("results/job-c")) || Directory.Exists(_tree.Path_("results/job-c")), Locate(locator, "job-c").Count == 1);
    }

    [Fact]
    public void A_path_below_the_jobs_name_is_looked_at_only_when_the_name_is_listed()
    {
        _tree.Dir("results/job-a");
        _tree.File("results/job-b/output", 5);
        var locator = Locator("{jobId}/output");

        Assert.Empty(Locate(locator, "job-a"));
        Assert.Equal(_tree.Path_("results/job-b/output"), Assert.Single(Locate(locator, "job-b")).Path);
        Assert.Empty(Locate(locator, "job-c"));
    }

    [Fact]
    public void A_convention_in_a_subdirectory_lists_that_subdirectory()
    {
        _tree.File("results/run/job-a.log", 5);
        var locator = Locator("run/{jobId}.log");

        Assert.Equal(_tree.Path_("results/run/job-a.log"), Assert.Single(Locate(locator, "job-a")).Path);
        Assert.Empty(Locate(locator, "job-b"));
    }

    private ConventionArtifactLocator Locator(string pattern)
    {
        Assert.Null(ArtifactConvention.TryParse(_tree.Dir("results"), pattern, ArtifactKind.Output, out var convention));
        return ConventionArtifactLocator.ForRun([convention!], _clock);
    }

    private static List<JobArtifact> Locate(ConventionArtifactLocator locator, string jobId)
    {
        var artifacts = new List<JobArtifact>();
        List<AmbiguousArtifact>? ambiguous = null;
        locator.Locate(jobId, artifacts, ref ambiguous);
        return artifacts;
    }

    /// <summary>A monotonic clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
