using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Retention.Docs.Snippets;

// docs/dashboard.md, README.md and src/Retention.AspNetCore/README.md: the dashboard in a host.
internal static class Dashboard
{
    // README.md and src/Retention.AspNetCore/README.md: the one line.
    public static void OneLine(WebApplication app)
    {
        app.MapJobCleanupDashboard("/retention", o => o.AuthorizationPolicy = "CleanupAdmin");
    }

    // docs/dashboard.md: who may look, and who may also act.
    public static void ViewersAndAdmins(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("CleanupViewer", p => p.RequireRole("admin", "viewer"))
            .AddPolicy("CleanupAdmin", p => p.RequireRole("admin"));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobCleanup("/api/cleanup", o => o.AuthorizationPolicy = "CleanupAdmin");
        app.MapJobCleanupDashboard("/retention", o =>
        {
            o.AuthorizationPolicy = "CleanupViewer";   // who may look
            o.ActionsPolicy = "CleanupAdmin";          // who may also act
        });
    }
}
