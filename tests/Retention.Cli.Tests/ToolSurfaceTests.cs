using System.Text.Json;

namespace Retention.Cli.Tests;

/// <summary>The tool's own surface: "did you mean", help sections, completion, and JSON from every reporting command.</summary>
public sealed class ToolSurfaceTests : IDisposable
{
    private readonly Installation _site = new();

    public ToolSurfaceTests()
    {
        _site.Job("job-20240111-000000", "completed", TimeSpan.FromDays(8.2), 15_000);
        _site.Job("job-20240119-200000", "running", TimeSpan.FromDays(3));
    }

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData(new[] { "clen" }, "'clen'; did you mean 'clean'?")]
    [InlineData(new[] { "clean", "--dryrun" }, "'--dryrun'; did you mean '--dry-run'?")]
    [InlineData(new[] { "orphans", "--delte" }, "'--delte'; did you mean '--delete'?")]
    public async Task A_near_miss_gets_the_nearest_command_or_option(string[] args, string expected)
    {
        var (exit, _, error) = await _site.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clean")]
    [InlineData("reap")]
    [InlineData("stats")]
    [InlineData("explain")]
    [InlineData("orphans")]
    [InlineData("schedule")]
    public async Task Each_commands_help_has_examples_and_exit_codes(string command)
    {
        var (exit, output, _) = await _site.Run(command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Contains($"retention {command}", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_commands_help_lists_only_the_options_it_honours()
    {
        var (_, stats, _) = await _site.Run("stats", "--help");
        var (_, clean, _) = await _site.Run("clean", "--help");

        Assert.DoesNotContain("--workers", stats, StringComparison.Ordinal);
        Assert.DoesNotContain("--dry-run", stats, StringComparison.Ordinal);
        Assert.Contains("--workers", clean, StringComparison.Ordinal);
        Assert.DoesNotContain("--skip-large", clean, StringComparison.Ordinal); // refused when given, never offered
        var (_, status, _) = await _site.Run("schedule", "status", "--help");
        Assert.DoesNotContain("--workers", status, StringComparison.Ordinal);
        Assert.DoesNotContain("--at", status, StringComparison.Ordinal);
        Assert.Contains("--json", status, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _retention_complete retention")]
    [InlineData("zsh", "compdef _retention_complete retention")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName retention")]
    public async Task Completion_prints_a_script_that_asks_the_tool(string shell, string expected)
    {
        var (exit, output, _) = await _site.Run("completion", shell);

        Assert.Equal(0, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("[suggest:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_suggest_directive_the_scripts_call_completes_options()
    {
        var (exit, output, _) = await _site.Run("[suggest:10]", "clean --dr");

        Assert.Equal(0, exit);
        Assert.Equal("--dry-run", output.Trim());
    }

    [Fact]
    public async Task Reap_json_is_one_document_with_the_reaped_jobs()
    {
        var (exit, output, _) = await _site.Run("reap", "--timeout", "1d", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("stuck", json.RootElement.GetProperty("mode").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("jobs_reaped").GetInt32());
        var job = Assert.Single(json.RootElement.GetProperty("reaped").EnumerateArray());
        Assert.Equal("job-20240119-200000", job.GetProperty("job_id").GetString());
        Assert.Equal("running", job.GetProperty("previous_status").GetString());
    }

    [Fact]
    public async Task Orphans_json_lists_each_path_with_size_and_age()
    {
        var stray = Path.Combine(_site.Root, "results", "stray");
        Directory.CreateDirectory(stray);
        await File.WriteAllBytesAsync(Path.Combine(stray, "x.bin"), new byte[300]);
        File.SetLastWriteTimeUtc(Path.Combine(stray, "x.bin"), Installation.Now.UtcDateTime.AddDays(-3));
        Directory.SetLastWriteTimeUtc(stray, Installation.Now.UtcDateTime.AddDays(-3));

        var (exit, output, _) = await _site.Run("orphans", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var orphan = Assert.Single(json.RootElement.GetProperty("orphans").EnumerateArray());
        Assert.EndsWith("stray", orphan.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(300, orphan.GetProperty("bytes").GetInt64());
        Assert.Equal("measured", orphan.GetProperty("outcome").GetString());
        Assert.False(json.RootElement.GetProperty("deleted").GetBoolean());
    }
}
