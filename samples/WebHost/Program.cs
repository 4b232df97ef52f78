using WebHost.Auth;
using WebHost.Jobs;

// The EEMT Flask web interface as ASP.NET Core: jobs are submitted with a file, a background processor runs them, and the
// library keeps the site clean: start-up reset, reaper, scheduled cleanup, and the seed's /api/cleanup behind an admin token.
const string AdminPolicy = "CleanupAdmin";
const string ViewerPolicy = "CleanupViewer";
var builder = WebApplication.CreateBuilder(args);
var web = builder.Configuration.GetSection("Web").Get<WebOptions>() ?? new WebOptions();
var dataDirectory = Path.GetFullPath(web.DataDirectory);
Directory.CreateDirectory(Path.Combine(dataDirectory, "uploads"));
Directory.CreateDirectory(Path.Combine(dataDirectory, "results"));

builder.Services.Configure<WebOptions>(builder.Configuration.GetSection("Web"));
builder.Services.AddSingleton<AdminToken>();
builder.Services.AddAdminSignIn();
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(AdminPolicy, p => p.RequireRole("admin"))
    .AddPolicy(ViewerPolicy, p => p.RequireRole("admin", "viewer"));
builder.Services.AddHealthChecks().AddJobCleanupCheck();
builder.Services
    .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"), o =>
    {
        o.AddRoot("uploads", Path.Combine(dataDirectory, "uploads"));
        o.AddRoot("results", Path.Combine(dataDirectory, "results"));
        o.BasePath = dataDirectory;
    })
    .UseSqliteStore(o => o.DatabasePath = Path.Combine(dataDirectory, "jobs.db"))
    .AddBackgroundCleanup();
builder.Services.AddSingleton<JobQueue>();
builder.Services.AddHostedService<JobProcessor>();

var app = builder.Build();
_ = app.Services.GetRequiredService<AdminToken>(); // made (or checked) at start, so a made-up token is in the log before the first request
app.UseAuthentication();
app.UseAuthorization();
app.MapJobsApi();
app.MapJobCleanup("/api/cleanup", o => o.AuthorizationPolicy = AdminPolicy);
app.MapJobCleanupDashboard("/retention", o =>
{
    o.AuthorizationPolicy = ViewerPolicy;   // the viewer may look
    o.ActionsPolicy = AdminPolicy;          // the admin may act
});
app.MapAdminSignIn();
app.MapGet("/", () => Results.Redirect("/retention/"));
app.MapJobCleanupHealthCheck("/health/cleanup");
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory tests.</summary>
public partial class Program;
