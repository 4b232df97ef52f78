using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Retention.AspNetCore;
using Retention.AspNetCore.Dashboard;
using Retention.AspNetCore.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the cleanup dashboard.</summary>
public static class JobCleanupDashboardRouteBuilderExtensions
{
    /// <summary>
    /// Maps the cleanup dashboard at <paramref name="pattern"/>: a page served from files embedded in this assembly (storage
    /// held, what is due next, the last runs, a run's live progress, a job's explanation, health, the policy in force; preview,
    /// clean now, reap stale jobs, cancel a run), and under <c>{pattern}/api</c> the cleanup endpoints it calls, the same
    /// handlers and audit as <c>MapJobCleanup</c>'s. Everything requires <see cref="JobCleanupDashboardOptions.AuthorizationPolicy"/>;
    /// actions also require <see cref="JobCleanupDashboardOptions.ActionsPolicy"/> and the header the page sends.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">Where the page is. Default: <c>/retention</c>.</param>
    /// <param name="configure">Names the authorization policies.</param>
    /// <returns>The dashboard's endpoint group, to add filters or rate limits.</returns>
    /// <exception cref="InvalidOperationException">Neither a policy nor anonymous access was chosen.</exception>
    public static RouteGroupBuilder MapJobCleanupDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/retention", Action<JobCleanupDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var options = new JobCleanupDashboardOptions();
        configure?.Invoke(options);
        var group = GroupAuthorization.MapGroup(endpoints, pattern.TrimEnd('/'), options.AuthorizationPolicy, options.AllowAnonymous, "MapJobCleanupDashboard: the dashboard shows jobs and runs cleanups")
            .ExcludeFromDescription();
        group.MapGet(string.Empty, (Delegate)DashboardAssets.Page);
        group.MapGet("/{file}", (HttpContext context, string file) => DashboardAssets.Serve(context, file));

        var api = group.MapGroup("/api");
        var actionsPolicy = string.IsNullOrWhiteSpace(options.ActionsPolicy) ? null : options.ActionsPolicy;
        CleanupApi.Map(api, new JobCleanupEndpointOptions { HealthCheckName = options.HealthCheckName }, names: "RetentionDashboard", action: endpoint =>
        {
            endpoint.AddEndpointFilter(DashboardActionFilter.InvokeAsync);
            if (actionsPolicy is not null)
            {
                endpoint.RequireAuthorization(actionsPolicy);
            }
        });
        api.MapGet("/me", (Delegate)((HttpContext context) => DashboardUser.GetAsync(context, actionsPolicy)));
        return group;
    }
}
