using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;
using Retention.Cleanup;
using Retention.Hosting;
using Retention.Policies;
using Retention.PostgreSql.Coordination;
using Retention.Reaping;

namespace Retention.Docs.Snippets;

// The documentation's C# snippets, each compiled here as written (DocSnippetTests checks they match). The methods are
// never called: what matters is that the code in the docs compiles against the current API.
internal static class HostSetup
{
    // README.md: the library in a host.
    public static async Task ReadmeQuickStart(WebApplicationBuilder builder, IJobCleaner cleaner, CancellationToken ct)
    {
        builder.Services
            .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"), options =>
            {
                options.AddRoot("uploads", "/srv/app/uploads");   // uploads/{jobId}_* are the job's inputs
                options.AddRoot("results", "/srv/app/results");   // results/{jobId}/ is the job's output
            })
            .UseStore<MyJobStore>();          // or .UseSqliteStore(o => o.DatabasePath = "jobs.db"), or .UseInMemoryStore()

        // Later, anywhere:
        var report = await cleaner.RunAsync(CleanupRequest.Preview, cancellationToken: ct);   // dry run
        Console.WriteLine($"Would free {ByteSize.Format(report.Stats.BytesFreed)}");
        report = await cleaner.RunAsync(CleanupRequest.Default, cancellationToken: ct);        // real run
    }

    // README.md: a host that keeps itself clean.
    public static void ReadmeHosted(WebApplicationBuilder builder)
    {
        builder.Services
            .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))
            .UseSqliteStore(o => o.DatabasePath = "jobs.db")
            .AddBackgroundCleanup(o =>
            {
                o.Schedule = "0 2 * * *";         // on by default, daily at 02:00; or "03:00", or "every 6h"
                o.ResetStaleJobsOnStart = true;   // fail what a dead process left running, before accepting work
            });
        builder.Services.AddHealthChecks().AddJobCleanupCheck();
    }

    // docs/configuration.md: a pipeline of your own.
    public static void Resilience(JobCleanupOptions options)
    {
        options.ResiliencePipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle<MyDbBusyException>(), MaxRetryAttempts = 5 })
            .Build();
    }

    // docs/deployment.md: one machine with SQLite.
    public static void OneMachine(WebApplicationBuilder builder)
    {
        builder.Services.AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))
            .UseSqliteStore(o => o.DatabasePath = "/srv/app/jobs.db")
            .AddBackgroundCleanup();
    }

    // docs/deployment.md: several replicas with PostgreSQL.
    public static void Replicas(WebApplicationBuilder builder)
    {
        builder.Services.AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))
            .UsePostgresStore(o =>
            {
                o.ConnectionString = builder.Configuration.GetConnectionString("jobs")!;
                o.Jobs.Schema = "public";       // your own jobs table, mapped (omit to let the store own retention.jobs)
                o.Jobs.Table = "executions";
                o.Jobs.JobType = null;          // a table without a type column
            })
            .UsePostgresLeaderLock()            // one scheduled run across the fleet
            .AddBackgroundCleanup();
    }

    // docs/deployment.md: the lease-table leader lock.
    public static void LeaseTable(WebApplicationBuilder builder)
    {
        builder.Services.AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))
            .UsePostgresStore(o => o.ConnectionString = builder.Configuration.GetConnectionString("jobs")!)
            .UsePostgresLeaderLock(o => { o.Mode = PostgresLeaderLockMode.LeaseTable; o.LeaseDuration = TimeSpan.FromMinutes(1); })
            .AddBackgroundCleanup();
    }

    // docs/getting-started.md, section 2.
    public static void Reference(IServiceCollection services, IConfiguration configuration)
    {
        services.AddJobCleanup(configuration.GetSection("JobCleanup"))
                .UseStore<MyJobStore>();
    }

    // docs/getting-started.md, section 3.
    public static async Task RunCleanup(IServiceProvider provider)
    {
        var cleaner = provider.GetRequiredService<IJobCleaner>();

        var preview = await cleaner.RunAsync(CleanupRequest.Preview);           // deletes nothing, records nothing
        var report  = await cleaner.RunAsync(CleanupRequest.Default with { Trigger = "cli", RequestedBy = "admin" });

        Console.WriteLine($"{report.Outcome}: {report.Stats.JobsCleaned} jobs, {ByteSize.Format(report.Stats.BytesFreed)}");
        foreach (var job in report.Jobs)
        {
            Console.WriteLine($"{job.JobId} ({job.Status}, {job.AgeDays} days): {job.Outcome}, {job.Reason}");
        }

        _ = preview;
    }

    // docs/getting-started.md, section 4.
    public static async Task Reap(IServiceProvider provider)
    {
        var reaper = provider.GetRequiredService<IStaleJobReaper>();
        await reaper.ReapAtStartupAsync();     // before the host accepts work: the start-up reset
        await reaper.ReapStuckJobsAsync();     // e.g. every 60 seconds: jobs stuck past their timeout
    }

    // docs/getting-started.md, section 5.
    public static void Sqlite(IServiceCollection services, IConfiguration configuration)
    {
        services.AddJobCleanup(configuration.GetSection("JobCleanup"))
                .UseSqliteStore(o => o.DatabasePath = "/srv/app/jobs.db")
                .AddBackgroundCleanup(o => { o.Enabled = true; o.Schedule = "02:00"; o.ResetStaleJobsOnStart = true; });
    }

    // docs/getting-started.md, section 5.
    public static void SqliteOnly(IServiceCollection services, IConfiguration configuration)
    {
        services.AddJobCleanup(configuration.GetSection("JobCleanup"))
                .UseSqliteStore(o => o.DatabasePath = "/srv/app/jobs.db");
    }

    // docs/getting-started.md, section 6.
    public static void Http(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder().AddPolicy("CleanupAdmin", p => p.RequireRole("admin"));
        // ... AddJobCleanup(...).UseSqliteStore(...).AddBackgroundCleanup() as above
        var app = builder.Build();
        app.MapJobCleanup("/api/cleanup", o => o.AuthorizationPolicy = "CleanupAdmin");
    }

    // docs/hosting.md: registration.
    public static void Hosting(WebApplicationBuilder builder)
    {
        builder.Services
            .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"), o =>
            {
                o.AddRoot("uploads", "/srv/app/uploads");
                o.AddRoot("results", "/srv/app/results");
            })
            .UseSqliteStore(o => o.DatabasePath = "/srv/app/jobs.db")
            .AddBackgroundCleanup()                 // binds JobCleanup:Background
            .AddWebhookNotifier();                  // optional; binds JobCleanup:Background:Webhook

        builder.Services.AddHealthChecks().AddJobCleanupCheck();
    }

    // docs/hosting.md: status.
    public static void Status(IServiceProvider services)
    {
        var status = services.GetRequiredService<ICleanupStatus>().GetSnapshot();
        if (status.CurrentRun is { } run)
        {
            Console.WriteLine($"{run.RunId}: {run.Progress.Stage}, {run.PercentComplete:0}% " +
                $"({run.Progress.JobsCleaned} jobs, {ByteSize.Format(run.Progress.BytesFreed)} so far)");
        }

        Console.WriteLine($"last: {status.LastReport?.Outcome}, error: {status.LastError}, next: {status.NextRunAt}");
    }

    // docs/hosting.md: a run on demand.
    public static async Task<IResult> OnDemand(ICleanupTrigger trigger, string user)
    {
        var result = trigger.Trigger(new CleanupRequest { Trigger = CleanupTriggers.OnDemand, RequestedBy = user });
        if (!result.Started)
        {
            return Results.Conflict(result.Running);
        }

        var report = await result.Completion!;
        return Results.Ok(report.Stats);
    }

    // docs/hosting.md: a notifier of your own.
    public static void Notifier(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICleanupNotifier, MyPagerNotifier>();
    }

    // docs/http-api.md: the endpoints in a web host.
    public static void HttpApi(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(/* your scheme */);
        builder.Services.AddAuthorizationBuilder().AddPolicy("CleanupAdmin", p => p.RequireRole("admin"));
        builder.Services.AddHealthChecks().AddJobCleanupCheck();
        builder.Services
            .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))
            .UseSqliteStore(o => o.DatabasePath = "jobs.db")
            .AddBackgroundCleanup();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobCleanup("/api/cleanup", o => o.AuthorizationPolicy = "CleanupAdmin");
        app.MapJobCleanupHealthCheck("/health/cleanup");
    }

    // docs/retention-policies.md: a policy in code.
    public static void Policy(IServiceCollection services, IConfiguration configuration, JobRecord job)
    {
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("outputs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Output).RetainFor(TimeSpan.FromDays(14)))
            .AddRule("inputs",  r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Input).RetainFor(TimeSpan.FromDays(1)))
            .AddRule("failed",  r => r.ForStatus(JobStatus.Failed, JobStatus.Cancelled).RetainFor(TimeSpan.FromHours(12)))
            .AddRule("reports", r => r.ForStatus(JobStatus.Succeeded).ForJobTypes("report").KeepLast(10))
            .Build();

        services.AddJobCleanup(configuration.GetSection("JobCleanup")).UseStore<MyJobStore>().UsePolicy(policy);

        var decision = policy.Evaluate(job, DateTimeOffset.UtcNow);
        Console.WriteLine(decision.Reason);   // succeeded 8.2 days ago; outputs kept 14 days (due in 5.8 days)
    }

    // The packages' readmes.
    public static async Task PackageReadmes(WebApplicationBuilder builder, IServiceCollection services, IConfiguration configuration, IServiceProvider provider)
    {
        // Retention.Core
        services.AddJobCleanup(o =>
            {
                o.AddRoot("uploads", "/srv/app/uploads").AddRoot("results", "/srv/app/results");
                o.SucceededRetention = TimeSpan.FromDays(7);
                o.FailedRetention = TimeSpan.FromHours(12);
            })
            .UseStore<MyJobStore>();   // your IJobStore, or UseSqliteStore / UsePostgresStore / UseInMemoryStore

        var report = await provider.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Preview);
        _ = report;

        // Retention.Sqlite
        services.AddJobCleanup(o => o.AddRoot("uploads", "uploads").AddRoot("results", "results"))
            .UseSqliteStore(o => o.DatabasePath = "jobs.db");

        // Retention.PostgreSql
        services.AddJobCleanup(configuration.GetSection("JobCleanup"))
            .UsePostgresStore(o => o.ConnectionString = configuration.GetConnectionString("jobs")!)
            .UsePostgresLeaderLock()
            .AddBackgroundCleanup();

        // Retention.Hosting
        builder.Services.AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))
            .UseSqliteStore(o => o.DatabasePath = "jobs.db")
            .AddBackgroundCleanup();   // options from JobCleanup:Background

        // Retention.AspNetCore
        var app = builder.Build();
        app.MapJobCleanup("/api/cleanup", o => o.AuthorizationPolicy = "CleanupAdmin");
    }
}

/// <summary>A host's own "database busy" error, for the resilience snippet.</summary>
public sealed class MyDbBusyException : Exception
{
}

/// <summary>A notifier of the host's own (docs/hosting.md).</summary>
public sealed class MyPagerNotifier : ICleanupNotifier
{
    public async ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken)
    {
        if (!report.Succeeded)
        {
            await Console.Error.WriteLineAsync($"page: cleanup {report.RunId} {report.Outcome}: {report.Error}");
        }
    }
}
