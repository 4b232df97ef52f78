using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Retention.AspNetCore;
using Retention.AspNetCore.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the cleanup endpoints.</summary>
public static class JobCleanupEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the cleanup endpoints under <paramref name="prefix"/>:
    /// <c>POST {prefix}</c> (a cleanup or dry run on request), <c>GET {prefix}/status</c>, <c>GET {prefix}/preview</c>,
    /// <c>POST {prefix}/stale?mode=stuck|startup</c> and <c>GET {prefix}/runs?limit=&amp;before=&amp;trigger=</c>.
    /// Every endpoint requires <see cref="JobCleanupEndpointOptions.AuthorizationPolicy"/>; mapping without a policy needs
    /// <see cref="JobCleanupEndpointOptions.AllowAnonymous"/> said out loud.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route prefix. Default: <c>/api/cleanup</c>.</param>
    /// <param name="configure">Names the authorization policy and sets the limits.</param>
    /// <returns>The endpoint group, to add filters, rate limits or OpenAPI metadata.</returns>
    /// <exception cref="InvalidOperationException">Neither a policy nor anonymous access was chosen.</exception>
    public static RouteGroupBuilder MapJobCleanup(this IEndpointRouteBuilder endpoints, string prefix = "/api/cleanup", Action<JobCleanupEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new JobCleanupEndpointOptions();
        configure?.Invoke(options);
        if (string.IsNullOrWhiteSpace(options.AuthorizationPolicy) && !options.AllowAnonymous)
        {
            throw new InvalidOperationException(
                "MapJobCleanup: the cleanup endpoints delete data; name the authorization policy they require (o => o.AuthorizationPolicy = \"CleanupAdmin\") or set AllowAnonymous = true.");
        }

        var group = endpoints.MapGroup(prefix).WithTags("Cleanup");

        // A page on another site must not make a signed-in admin's browser run a cleanup (cookie sign-in): browsers say where a request comes from.
        group.AddEndpointFilter((context, next) =>
            context.HttpContext.Request.Headers["Sec-Fetch-Site"] == "cross-site"
                ? ValueTask.FromResult<object?>(Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused", detail: "The cleanup endpoints do not accept requests from another site's pages."))
                : next(context));
        if (options.AllowAnonymous && string.IsNullOrWhiteSpace(options.AuthorizationPolicy))
        {
            group.AllowAnonymous();
        }
        else
        {
            group.RequireAuthorization(options.AuthorizationPolicy!);
        }

        // Cast to Delegate: an HttpContext-only lambda would bind as a RequestDelegate and drop the IResult it returns.
        group.MapPost(string.Empty, (Delegate)((HttpContext context) => CleanupEndpoints.CleanAsync(context, options))).WithName("RunCleanup");
        group.MapGet("/status", (Delegate)CleanupEndpoints.Status).WithName("CleanupStatus");
        group.MapGet("/preview", (Delegate)CleanupEndpoints.PreviewAsync).WithName("PreviewCleanup");
        group.MapPost("/stale", (HttpContext context, string? mode) => CleanupEndpoints.StaleAsync(context, mode)).WithName("ResetStaleJobs");
        group.MapGet("/runs", (HttpContext context, string? limit, string? before, string? trigger) => CleanupEndpoints.RunsAsync(context, options, limit, before, trigger)).WithName("CleanupRuns");
        HoldEndpoints.Map(group, options);
        return group;
    }

    /// <summary>Maps the <c>job-cleanup</c> health check (added with <c>AddHealthChecks().AddJobCleanupCheck()</c>) at <paramref name="path"/>, with its data as JSON.</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="path">The path. Default: <c>/health/cleanup</c>.</param>
    /// <param name="checkName">The check's name. Default: <c>job-cleanup</c>.</param>
    /// <returns>The endpoint, to require authorization or filter hosts.</returns>
    public static IEndpointConventionBuilder MapJobCleanupHealthCheck(this IEndpointRouteBuilder endpoints, string path = "/health/cleanup", string checkName = "job-cleanup")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapHealthChecks(path, new HealthCheckOptions
        {
            Predicate = registration => registration.Name == checkName,
            ResponseWriter = HealthJson.WriteAsync,
        });
    }
}
