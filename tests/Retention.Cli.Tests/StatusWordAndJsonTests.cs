using System.Text.Json;

namespace Retention.Cli.Tests;

/// <summary>Status words no status has are said wherever the tool reports; stats measures the disk when the store records no sizes; stats and explain speak JSON.</summary>
public sealed class StatusWordAndJsonTests : IDisposable
{
    private readonly Installation _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Stats_measures_the_disk_when_the_store_records_no_sizes()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(1), outputBytes: 4_000);
        _site.Job("job-b", "running", TimeSpan.FromDays(1), outputBytes: 1_000_000);

        var (exit, output, _) = await _site.Run("stats");
        var (_, json, _) = await _site.Run("stats", "--json");

        Assert.Equal(0, exit);
        Assert.Contains("Current Usage (measured on disk: the store records no sizes):", output, StringComparison.Ordinal);
        Assert.True(output.Contains("  completed: 1 job, 4.2 KB\n  running: 1 job, 976.8 KB", StringComparison.Ordinal), output);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("disk", document.RootElement.GetProperty("sizes_from").GetString());
        var usage = document.RootElement.GetProperty("usage").EnumerateArray().ToDictionary(u => u.GetProperty("status").GetString()!, u => u.GetProperty("bytes").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["completed"] = 4_250, ["running"] = 1_000_250 }, usage); // 250 B of input each
    }

    [Fact]
    public async Task Stats_uses_the_recorded_sizes_when_there_are_some()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(1));
        _site.Sql("UPDATE jobs SET data_size_mb = 2");

        var (_, json, _) = await _site.Run("stats", "--json");

        using var document = JsonDocument.Parse(json);
        Assert.Equal("store", document.RootElement.GetProperty("sizes_from").GetString());
        var row = Assert.Single(document.RootElement.GetProperty("usage").EnumerateArray());
        Assert.Equal(("completed", 2 * 1_048_576L), (row.GetProperty("status").GetString(), row.GetProperty("bytes").GetInt64()));
        Assert.Equal(0, document.RootElement.GetProperty("last24h").GetProperty("jobs_cleaned").GetInt64());
    }

    [Fact]
    public async Task An_unmapped_status_word_is_named_by_clean_stats_and_explain_and_is_cleaned_once_mapped()
    {
        _site.Job("job-done", "done", TimeSpan.FromDays(30));

        var clean = await _site.Run("clean");
        var stats = await _site.Run("stats");
        var statsJson = await _site.Run("stats", "--json");
        var explain = await _site.Run("explain", "job-done");

        Assert.Equal(0, clean.Exit);
        Assert.Contains("warning: 1 job(s) have the status 'done', which no status is mapped to, so they were not cleaned; add it to JobCleanup:Sqlite:StatusNames:{Status}", clean.Error, StringComparison.Ordinal);
        Assert.True(_site.Exists("results/job-done"));
        Assert.Contains("Status words mapped to no status (never cleaned):", stats.Out, StringComparison.Ordinal);
        Assert.Contains("  done: 1 job; add it to JobCleanup:Sqlite:StatusNames:{Status}", stats.Out, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(statsJson.Out))
        {
            var unmapped = Assert.Single(document.RootElement.GetProperty("unmapped_statuses").EnumerateArray());
            Assert.Equal(("done", 1L), (unmapped.GetProperty("status").GetString(), unmapped.GetProperty("jobs").GetInt64()));
        }

        Assert.Contains("job-done (status 'done', mapped to no status, eemt)", explain.Out, StringComparison.Ordinal);
        Assert.Contains("the status 'done' is mapped to no status, so the job is never cleaned", explain.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("active jobs are never cleaned", explain.Out, StringComparison.Ordinal);

        _site.Environment["JobCleanup__Sqlite__StatusNames__Succeeded"] = "completed, done";
        var mapped = await _site.Run("clean");

        Assert.Equal(0, mapped.Exit);
        Assert.DoesNotContain("warning:", mapped.Error, StringComparison.Ordinal);
        Assert.False(_site.Exists("results/job-done"));
        Assert.NotNull(_site.Scalar("SELECT data_cleaned_at FROM jobs WHERE id = 'job-done'"));
    }

    [Fact]
    public async Task Explain_json_gives_the_decision_and_each_artifacts_verdict()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(9));

        var (exit, output, _) = await _site.Run("explain", "job-a", "--json");

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(("job-a", "completed", true), (root.GetProperty("job_id").GetString(), root.GetProperty("status").GetString(), root.GetProperty("due").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("unmapped_status").ValueKind);
        var verdicts = root.GetProperty("artifacts").EnumerateArray().Select(a => (a.GetProperty("kind").GetString(), a.GetProperty("verdict").GetString())).Order().ToArray();
        Assert.Equal([("input", "due"), ("output", "due")], verdicts);
    }

    [Fact]
    public async Task Stats_and_explain_help_offer_json()
    {
        var (_, stats, _) = await _site.Run("stats", "--help");
        var (_, explain, _) = await _site.Run("explain", "--help");

        Assert.Contains("--json", stats, StringComparison.Ordinal);
        Assert.Contains("--json", explain, StringComparison.Ordinal);
    }
}
