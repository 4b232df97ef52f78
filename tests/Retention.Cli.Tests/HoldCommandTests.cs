using System.Text.RegularExpressions;

namespace Retention.Cli.Tests;

/// <summary><c>retention hold add|list|release</c> end to end on the SQLite file, and what explain and the dry run say of a held job.</summary>
public sealed partial class HoldCommandTests : IDisposable
{
    private readonly Installation _site = new();

    public HoldCommandTests() => _site.Environment["USER"] = "alice";

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_held_job_is_named_by_explain_and_the_dry_run_kept_by_clean_and_cleaned_once_released()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(9));
        _site.Job("job-b", "completed", TimeSpan.FromDays(9));

        var add = await _site.Run("hold", "add", "job-a", "--reason", "legal hold", "--until", "30d");
        var second = await _site.Run("hold", "add", "job-a", "--reason", "paper review", "--owner", "bob");
        var holdId = HoldId().Match(add.Out).Value;
        var list = await _site.Run("hold", "list");
        var explain = await _site.Run("explain", "job-a");
        var preview = await _site.Run("clean", "--dry-run");
        var clean = await _site.Run("clean");

        Assert.Equal((0, 0), (add.Exit, second.Exit));
        Assert.Equal($"Held job job-a: {holdId} by alice until 2024-02-19 02:00 UTC: legal hold", add.Out.Trim());
        Assert.Equal(2, list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"{holdId}  job job-a  by alice since 2024-01-20 02:00 UTC until 2024-02-19 02:00 UTC: legal hold", list.Out, StringComparison.Ordinal);
        Assert.Contains("by bob since 2024-01-20 02:00 UTC: paper review", list.Out, StringComparison.Ordinal);
        Assert.Contains("held by bob: paper review (and 1 more hold)", explain.Out, StringComparison.Ordinal);
        Assert.Contains($"HOLD {holdId} by alice since 2024-01-20 02:00 UTC until 2024-02-19 02:00 UTC: legal hold", explain.Out, StringComparison.Ordinal);
        Assert.Contains("[DRY RUN] Kept job job-a: held by bob: paper review (and 1 more hold)", preview.Out, StringComparison.Ordinal);
        Assert.Equal(0, clean.Exit);
        Assert.True(_site.Exists("results/job-a"));
        Assert.False(_site.Exists("results/job-b"));

        foreach (var id in HoldId().Matches(list.Out).Select(m => m.Value))
        {
            Assert.Equal(0, (await _site.Run("hold", "release", id, "--by", "carol")).Exit);
        }

        Assert.Equal("No holds in force.", (await _site.Run("hold", "list", "job-a")).Out.Trim());
        Assert.Equal(0, (await _site.Run("clean")).Exit);
        Assert.False(_site.Exists("results/job-a"));
        Assert.Equal(
            "hold_added alice|hold_added bob|hold_released carol|hold_released carol",
            string.Join('|', Enumerable.Range(0, 4).Select(i => (string)_site.Scalar($"SELECT action || ' ' || user FROM cleanup_audit WHERE action LIKE 'hold%' ORDER BY id LIMIT 1 OFFSET {i}")!)));
    }

    [Theory]
    [InlineData("add|job-nope|--reason|why", "There is no job 'job-nope'")]
    [InlineData("add|job-a|--reason| ", "needs a reason")]
    [InlineData("add|job-a", "needs a reason")]
    [InlineData("add|job-a|--reason|why|--until|yesterday", "--until: 'yesterday' is neither a duration")]
    [InlineData("add|job-a|--reason|why|--until|2024-01-01", "is not in the future")]
    [InlineData("add|job-gone|--reason|why", "its data is already gone")]
    [InlineData("release|hold-nope", "There is no hold 'hold-nope'")]
    public async Task Bad_input_exits_2_with_what_is_wrong_and_changes_nothing(string args, string expected)
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(9));
        _site.Job("job-gone", "completed", TimeSpan.FromDays(9));
        _site.Sql("UPDATE jobs SET data_cleaned_at = '2024-01-19T00:00:00.000000Z' WHERE id = 'job-gone'");
        Assert.Equal(0, (await _site.Run("hold", "add", "job-a", "--reason", "set up")).Exit); // the store's tables exist: a refusal must not add a row
        var before = _site.Snapshot();

        var (exit, _, error) = await _site.Run(["hold", .. args.Split('|')]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task Without_USER_or_owner_add_exits_2_and_says_who_is_missing()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(9));
        _site.Environment.Remove("USER");

        var (exit, _, error) = await _site.Run("hold", "add", "job-a", "--reason", "why");

        Assert.Equal(2, exit);
        Assert.Contains("--owner: say who you are", error, StringComparison.Ordinal);
    }

    [GeneratedRegex("hold-[0-9a-f]{12}")]
    private static partial Regex HoldId();
}
