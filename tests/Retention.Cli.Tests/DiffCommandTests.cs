namespace Retention.Cli.Tests;

/// <summary><c>retention diff CANDIDATE</c> on the SQLite file: what a candidate configuration changes, by rule, with nothing touched.</summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly Installation _site = new();

    public void Dispose() => _site.Dispose();

    private Task Write(string name, string text) => File.WriteAllTextAsync(Path.Combine(_site.Root, name), text);

    [Fact]
    public async Task A_shorter_and_a_longer_retention_are_shown_by_rule_and_nothing_is_touched()
    {
        _site.Job("ok-3d", "completed", TimeSpan.FromDays(3));
        _site.Job("ok-9d", "completed", TimeSpan.FromDays(9));
        _site.Job("failed-1d", "failed", TimeSpan.FromDays(1));
        _site.Job("failed-6h", "failed", TimeSpan.FromHours(6));
        await Write("candidate.yaml", """
            retention:
              successful_jobs:
                hours: 48
              failed_jobs:
                hours: 72
            """);
        var before = _site.Snapshot();

        var (exit, output, error) = await _site.Run("diff", "candidate.yaml");

        Assert.True(exit == 0, error);
        Assert.Contains("candidate.yaml compared with the retention in force, over 4 jobs whose data is not cleaned:", output, StringComparison.Ordinal);
        Assert.Contains("  Becomes due now (the next run deletes it): 1 job", output, StringComparison.Ordinal);
        Assert.Contains("    succeeded-data: 1 job", output, StringComparison.Ordinal);
        Assert.Contains("(ok-3d)", output, StringComparison.Ordinal);
        Assert.Contains("  No longer due (kept): 1 job", output, StringComparison.Ordinal);
        Assert.Contains("(failed-1d)", output, StringComparison.Ordinal);
        Assert.Contains("  Due later: 1 job", output, StringComparison.Ordinal);
        Assert.Contains("(failed-6h)", output, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", output.Trim(), StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task Rules_in_the_library_section_compare_and_json_has_the_endpoint_shape()
    {
        _site.Job("ok-3d", "completed", TimeSpan.FromDays(3));
        await Write("rules.yaml", """
            JobCleanup:
              Rules:
                - Name: everything-at-once
                  Statuses: [Succeeded, Failed]
                  Retention: immediately
            """);

        var (exit, output, error) = await _site.Run("diff", "rules.yaml", "--json");

        Assert.True(exit == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var change = json.RootElement.GetProperty("changes")[0];
        Assert.Equal(("becomes_due", "everything-at-once", "ok-3d"), (change.GetProperty("kind").GetString(), change.GetProperty("rule").GetString(), change.GetProperty("job_ids")[0].GetString()));
        Assert.Equal(1, json.RootElement.GetProperty("totals").GetProperty("becomes_due").GetProperty("jobs").GetInt64());
    }

    [Theory]
    [InlineData("missing.yaml", null, "CANDIDATE: there is no file 'missing.yaml'")]
    [InlineData("bad.yaml", "JobCleanup:\n  Rules:\n    - Statuses: [Running]\n      Retention: 1d\n", "active status")]
    public async Task A_bad_candidate_is_a_usage_error_that_names_it(string file, string? text, string expected)
    {
        if (text is not null)
        {
            await Write(file, text);
        }

        var (exit, _, error) = await _site.Run("diff", file);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
