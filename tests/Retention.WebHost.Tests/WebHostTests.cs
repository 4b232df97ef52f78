using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Retention.WebHost.Tests.Support;

namespace Retention.WebHost.Tests;

public sealed class WebHostTests : IDisposable
{
    private readonly WebHostFactory _factory = new();

    [Fact]
    public async Task Submitted_jobs_run_and_the_seeds_request_cleans_them_with_the_admin_token()
    {
        var client = _factory.AdminClient();
        var ok = await Jobs.SubmitAsync(client, "dem.tif");
        var bad = await Jobs.SubmitAsync(client, "fail_dem.tif");
        Assert.Equal("succeeded", await Jobs.WaitFinishedAsync(client, ok));
        Assert.Equal("failed", await Jobs.WaitFinishedAsync(client, bad));
        Assert.True(File.Exists(Path.Combine(_factory.DataDirectory, "uploads", $"{ok}_dem.tif")));
        Assert.True(File.Exists(Path.Combine(_factory.DataDirectory, "results", ok, "output.tif")));

        var anonymous = await _factory.CreateClient().PostAsync("/api/cleanup", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var response = await client.PostAsync("/api/cleanup", new StringContent("""{"dry_run": false}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());
        Assert.Equal(1, body.GetProperty("cleaned_jobs").GetProperty("failed").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(_factory.DataDirectory, "results", ok)));
        Assert.NotNull((await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{ok}")).GetProperty("data_cleaned_at").GetString());
    }

    [Fact]
    public async Task The_library_dashboard_is_served_from_the_assembly_behind_the_policy_with_a_strict_content_security_policy()
    {
        var client = _factory.AdminClient();
        var root = await _factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/retention/", root.Headers.Location?.OriginalString);

        var page = await client.GetAsync("/retention/");
        var html = await page.Content.ReadAsStringAsync();
        var script = await client.GetStringAsync("/retention/dashboard.js");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<script src=\"dashboard.js\" defer>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", script, StringComparison.Ordinal);

        var storage = await client.GetFromJsonAsync<JsonElement>("/retention/api/storage");
        Assert.Equal(0, storage.GetProperty("held").GetProperty("bytes").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.CreateClient().GetAsync("/retention/api/storage")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/retention/appsettings.json")).StatusCode);
    }

    [Fact]
    public async Task A_dashboard_action_without_the_pages_header_or_from_another_origin_is_refused_and_runs_nothing()
    {
        var client = _factory.AdminClient();
        await Jobs.WaitFinishedAsync(client, await Jobs.SubmitAsync(client, "dem.tif"));

        var bare = await client.PostAsync("/retention/api", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/retention/api") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        foreign.Headers.Add("X-Retention-Dashboard", "1");
        foreign.Headers.Add("Origin", "https://evil.example");
        var forged = await client.SendAsync(foreign);

        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Contains("X-Retention-Dashboard", (await bare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/retention/api/runs")).GetProperty("runs").EnumerateArray());
    }

    public void Dispose() => _factory.Dispose();
}
