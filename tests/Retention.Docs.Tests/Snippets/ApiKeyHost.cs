using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Retention.Docs.Snippets;

// docs/http-api.md: the Program.cs lines that register the API key and map the endpoints behind it. ApiKeyRecipeTests
// builds its app with exactly these.
internal static class ApiKeyHost
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(ApiKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorizationBuilder().AddPolicy("CleanupAdmin", p => p.RequireRole("admin"));
        builder.Services
            .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))
            .UseSqliteStore(o => o.DatabasePath = Path.Combine(builder.Environment.ContentRootPath, "jobs.db"));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobCleanup("/api/cleanup", o => o.AuthorizationPolicy = "CleanupAdmin");
        return app;
    }
}
