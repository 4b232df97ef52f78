using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Retention.AspNetCore.Contracts;

namespace Retention.AspNetCore.Dashboard;

/// <summary><c>GET api/me</c>: who the page is for and whether they may act, so a read-only user sees no action they cannot take.</summary>
internal static class DashboardUser
{
    public static async Task<IResult> GetAsync(HttpContext context, string? actionsPolicy)
    {
        var canAct = actionsPolicy is null
            || (await context.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, actionsPolicy).ConfigureAwait(false)).Succeeded;
        var name = context.User.Identity is { IsAuthenticated: true, Name: { } n } ? n : "anonymous";
        return Results.Json(new { user = name, can_act = canAct, action_header = DashboardActionFilter.HeaderName }, CleanupJson.Options);
    }
}
