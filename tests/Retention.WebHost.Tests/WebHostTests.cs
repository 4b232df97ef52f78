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
    public async Task The_dashboard_page_and_its_data_are_served_without_any_external_resource()
    {
        var client = _factory.AdminClient();
        var page = await client.GetStringAsync("/");
        var script = await client.GetStringAsync("/dashboard.js");

        Assert.Contains("<script src=\"dashboard.js\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http", page.Replace("http-equiv", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", script, StringComparison.Ordinal);
        var dashboard = await client.GetFromJsonAsync<JsonElement>("/api/dashboard");
        Assert.Equal(0, dashboard.GetProperty("held_bytes").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.CreateClient().GetAsync("/api/dashboard")).StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
