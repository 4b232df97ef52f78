using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retention.Stores.InMemory;

namespace Retention.AspNetCore.Tests.Support;

/// <summary>A real ASP.NET Core pipeline (in-memory server) over a real temp tree and the in-memory store, with the endpoints mapped as a host maps them.</summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    public const string Policy = "CleanupAdmin";

    /// <summary>The dashboard's policy to look: admins and viewers.</summary>
    public const string ViewerPolicy = "CleanupViewer";

    private WebApplication? _app;

    public ApiHarness()
    {
        Uploads = Tree.Dir("uploads");
        Results = Tree.Dir("results");
    }

    public TempTree Tree { get; } = new();

    public string Uploads { get; }

    public string Results { get; }

    public InMemoryJobStore Store { get; } = new();

    public ListLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _app!.Services;

    public async Task<HttpClient> StartAsync(Action<IJobCleanupBuilder>? cleanup = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(Logs);
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireRole("admin")).AddPolicy(ViewerPolicy, p => p.RequireRole("admin", "viewer"));
        builder.Services.AddHealthChecks().AddJobCleanupCheck();
        var jobCleanup = builder.Services
            .AddJobCleanup(o =>
            {
                o.AddRoot("uploads", Uploads).AddRoot("results", Results);
                o.BasePath = Tree.Root;
            })
            .UseInMemoryStore(Store)
            .AddBackgroundCleanup();
        cleanup?.Invoke(jobCleanup);

        _app = builder.Build();
        _app.Use((context, next) =>
        {
            // The in-memory server has no socket; the audit needs an address to record.
            context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
            return next(context);
        });
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapJobCleanup("/api/cleanup", o => o.AuthorizationPolicy = Policy);
        _app.MapJobCleanupHealthCheck();
        _app.MapJobCleanupDashboard("/retention", o =>
        {
            o.AuthorizationPolicy = ViewerPolicy;
            o.ActionsPolicy = Policy;
        });
        await _app.StartAsync();
        return Client("alice", "admin");
    }

    /// <summary>A client signed in as <paramref name="user"/> with <paramref name="roles"/>; no user for an anonymous one.</summary>
    public HttpClient Client(string? user, params string[] roles)
    {
        var client = _app!.GetTestClient();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(TestAuthHandler.SchemeName, string.Join(' ', [user, .. roles]));
        }

        return client;
    }

    /// <summary>A finished job in the seed's layout, aged from now: uploads/{id}_dem.tif and results/{id}/out.tif.</summary>
    public JobRecord SeedJob(string id, JobStatus status, TimeSpan age, int bytes = 1000)
    {
        var job = JobLayout.Job(Tree, id, status, age, DateTimeOffset.UtcNow, bytes / 4, bytes);
        Store.Upsert(job);
        return job;
    }

    /// <summary>Every file with its size, and every job, to show that a refused request changed nothing.</summary>
    public (IReadOnlyDictionary<string, long> Files, IReadOnlyList<JobRecord> Jobs) Snapshot() =>
        (Directory.EnumerateFiles(Tree.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => new FileInfo(f).Length), Store.Jobs);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Tree.Dispose();
    }
}
