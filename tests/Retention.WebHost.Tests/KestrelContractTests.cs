using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Retention.WebHost.Tests.Support;

namespace Retention.WebHost.Tests;

public sealed class KestrelContractTests : IDisposable
{
    // Finished jobs are due a millisecond after they end, so the seed's dry-run request has details to show.
    private readonly KestrelWebHost _host = new(("JobCleanup:SucceededRetention", "00:00:00.001"), ("JobCleanup:FailedRetention", "00:00:00.001"));

    [Fact]
    public async Task Over_real_HTTP_the_seeds_request_gets_a_response_of_the_seeds_shape()
    {
        var client = _host.Client();
        var job = await Jobs.SubmitAsync(client, "dem.tif");
        await Jobs.WaitFinishedAsync(client, job);

        // The seed's "Dry run to preview" curl example: -H "Content-Type: application/json" -d '{"dry_run": true}'.
        var response = await client.PostAsync("/api/cleanup", new StringContent("""{"dry_run": true}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.True, body.GetProperty("success").ValueKind);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("cleaned_jobs").GetProperty("successful").ValueKind);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("cleaned_jobs").GetProperty("failed").ValueKind);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("space_freed").GetProperty("bytes").ValueKind);
        Assert.Matches(@"^\d+(\.\d)? (B|KB|MB|GB|TB)$", body.GetProperty("space_freed").GetProperty("human_readable").GetString());
        var detail = body.GetProperty("details")[0];
        Assert.Equal(job, detail.GetProperty("job_id").GetString());
        Assert.Equal("completed", detail.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, detail.GetProperty("age_days").ValueKind);
        Assert.Matches(@"^\d+(\.\d)? (B|KB|MB|GB|TB)$", detail.GetProperty("space_freed").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client(token: null).PostAsync("/api/cleanup", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client("not-the-admin-token").PostAsync("/api/cleanup", null)).StatusCode);
    }

    [PythonRequestsFact]
    public async Task The_seeds_own_python_client_works_with_only_the_authorization_header_added()
    {
        var client = _host.Client();
        await Jobs.WaitFinishedAsync(client, await Jobs.SubmitAsync(client, "dem.tif"));

        var output = Run("python3", Path.Combine(RepositoryPaths.Root, "samples", "WebHost", "seed_client.py"), _host.BaseAddress.ToString().TrimEnd('/'), WebHostFactory.Token);

        Assert.Contains("Cleanup preview:", output, StringComparison.Ordinal);
        Assert.Contains("Cleanup completed:", output, StringComparison.Ordinal);
        Assert.Contains(" Successful jobs cleaned: 0", output, StringComparison.Ordinal); // the seed's 168 hours: a fresh job is kept
        Assert.Contains(" Space freed: 0 B", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Cleanup failed", output, StringComparison.Ordinal);
    }

    internal static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {output}");
    }

    public void Dispose() => _host.Dispose();
}
