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
    /// <c>POST {prefix}/stale?mode=stuck|startup</c>, <c>GET {prefix}/runs?limit=&amp;before=&amp;trigger=</c>,
    /// <c>POST {prefix}/runs/{runId}/cancel</c>, <c>GET {prefix}/jobs/{jobId}</c> (a job's explanation), <c>GET {prefix}/storage</c>,
    /// <c>GET {prefix}/due?limit=</c> and <c>GET {prefix}/health</c>.
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
        var group = GroupAuthorization.MapGroup(endpoints, prefix, options.AuthorizationPolicy, options.AllowAnonymous, "MapJobCleanup: the cleanup endpoints delete data")
            .WithTags("Cleanup");
        CleanupApi.Map(group, options, names: string.Empty, action: _ => { });
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
