using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Retention.AspNetCore.Endpoints;

/// <summary>
/// Maps the cleanup endpoints onto a group: the HTTP API (<c>MapJobCleanup</c>) and the dashboard's own API map the same
/// handlers, so every action the dashboard takes is the API's action, with its checks and its audit.
/// </summary>
internal static class CleanupApi
{
    /// <summary>Maps the endpoints.</summary>
    /// <param name="group">The group to map onto.</param>
    /// <param name="options">The limits.</param>
    /// <param name="names">Prefixes the endpoints' names (names are unique in an app); empty for the API's own names.</param>
    /// <param name="action">Applied to every endpoint that changes something (a run, a reset, a cancel, a hold placed or released).</param>
    public static void Map(RouteGroupBuilder group, JobCleanupEndpointOptions options, string names, Action<IEndpointConventionBuilder> action)
    {
        // A page on another site must not make a signed-in admin's browser run a cleanup (cookie sign-in): browsers say where a request comes from.
        group.AddEndpointFilter((context, next) =>
            context.HttpContext.Request.Headers["Sec-Fetch-Site"] == "cross-site"
                ? ValueTask.FromResult<object?>(Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused", detail: "The cleanup endpoints do not accept requests from another site's pages."))
                : next(context));

        // Cast to Delegate: an HttpContext-only lambda would bind as a RequestDelegate and drop the IResult it returns.
        action(group.MapPost(string.Empty, (Delegate)((HttpContext context) => CleanupEndpoints.CleanAsync(context, options))).WithName(names + "RunCleanup"));
        group.MapGet("/status", (Delegate)CleanupEndpoints.Status).WithName(names + "CleanupStatus");
        group.MapGet("/preview", (Delegate)CleanupEndpoints.PreviewAsync).WithName(names + "PreviewCleanup");

        // A POST for its body (the candidate policy), but a read: it changes nothing, so it is no action.
        group.MapPost("/preview/compare", (Delegate)((HttpContext context) => InsightEndpoints.CompareAsync(context, options))).WithName(names + "ComparePolicy");
        action(group.MapPost("/stale", (HttpContext context, string? mode) => CleanupEndpoints.StaleAsync(context, mode)).WithName(names + "ResetStaleJobs"));
        group.MapGet("/runs", (HttpContext context, string? limit, string? before, string? trigger) => CleanupEndpoints.RunsAsync(context, options, limit, before, trigger)).WithName(names + "CleanupRuns");
        action(group.MapPost("/runs/{runId}/cancel", (HttpContext context, string runId) => CleanupEndpoints.Cancel(context, runId)).WithName(names + "CancelCleanupRun"));
        group.MapGet("/jobs/{jobId}", (HttpContext context, string jobId) => InsightEndpoints.ExplainAsync(context, jobId)).WithName(names + "ExplainJob");
        group.MapGet("/storage", (Delegate)InsightEndpoints.StorageAsync).WithName(names + "CleanupStorage");
        group.MapGet("/due", (HttpContext context, string? limit) => InsightEndpoints.DueAsync(context, limit)).WithName(names + "CleanupDue");
        group.MapGet("/health", (HttpContext context) => InsightEndpoints.HealthAsync(context, options.HealthCheckName)).WithName(names + "CleanupHealth");
        HoldEndpoints.Map(group, options, names, action);
    }
}
