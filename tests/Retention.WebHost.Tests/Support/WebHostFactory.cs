using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Retention.WebHost.Tests.Support;

/// <summary>The web sample as its README runs it, on its own temp data directory, in the Testing environment (no scheduled work).</summary>
internal sealed class WebHostFactory : WebApplicationFactory<Program>
{
    public const string Token = "test-admin-token-0123456789";

    /// <summary>A token that may look at the dashboard but not act.</summary>
    public const string ViewerToken = "test-viewer-token-0123456789";

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

        // Finished jobs are due a millisecond after they end, so a cleanup right after has work to do.
        builder.UseSetting("JobCleanup:SucceededRetention", "00:00:00.001");
        builder.UseSetting("JobCleanup:FailedRetention", "00:00:00.001");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Tree.Dispose();
    }
}
