using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Retention.WebHost.Tests.Support;

/// <summary>The web sample as its README runs it, on its own temp data directory, in the Testing environment (no scheduled work).</summary>
internal sealed class WebHostFactory : WebApplicationFactory<Program>
{
    public const string Token = "test-admin-token";

    public TempTree Tree { get; } = new();

    public string DataDirectory => Tree.Root;

    public HttpClient AdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Web:DataDirectory", DataDirectory);
        builder.UseSetting("Web:JobDuration", "00:00:00");
        builder.UseSetting("Admin:Token", Token);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Tree.Dispose();
    }
}
