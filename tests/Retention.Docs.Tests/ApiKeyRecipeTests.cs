using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Retention.Docs.Snippets;

namespace Retention.Docs;

/// <summary>
/// The API-key recipe of docs/http-api.md, as written: the app is built by the snippet's own lines (ApiKeyHost.Build,
/// with ApiKeyHandler) and served by Kestrel on a free port; the requests go over real HTTP.
/// </summary>
public sealed class ApiKeyRecipeTests : IAsyncLifetime
{
    private readonly string _key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly string _root = Directory.CreateTempSubdirectory("retention-api-key-").FullName;
    private readonly List<WebApplication> _apps = [];

    [Fact]
    public async Task A_request_without_the_key_is_refused_with_401()
    {
        using var client = await StartAsync(_key);

        var response = await client.GetAsync(new Uri("api/cleanup/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_of_the_same_length_is_refused_with_401()
    {
        using var client = await StartAsync(_key);
        var wrong = _key[..^1] + (_key[^1] == '0' ? '1' : '0');

        var response = await SendAsync(client, "api/cleanup/status", wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_right_key_reads_the_status_and_the_preview()
    {
        using var client = await StartAsync(_key);

        var status = await SendAsync(client, "api/cleanup/status", _key);
        var preview = await SendAsync(client, "api/cleanup/preview", _key);

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("\"running\":false", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var previewBody = await preview.Content.ReadAsStringAsync();
        Assert.True(preview.StatusCode == HttpStatusCode.OK, $"{preview.StatusCode}: {previewBody}");
        Assert.Contains("\"dry_run\":true", previewBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_configured_key_every_key_is_refused()
    {
        using var client = await StartAsync(key: null);

        var response = await SendAsync(client, "api/cleanup/status", _key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(ApiKeyHandler.HeaderName, key);
        return client.SendAsync(request);
    }

    private async Task<HttpClient> StartAsync(string? key)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _root });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CleanupApi:Key"] = key,
            ["JobCleanup:Roots:results"] = Directory.CreateDirectory(Path.Combine(_root, "results")).FullName,
        });

        var app = ApiKeyHost.Build(builder);
        _apps.Add(app);
        await app.StartAsync();
        return new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };
    }
}
