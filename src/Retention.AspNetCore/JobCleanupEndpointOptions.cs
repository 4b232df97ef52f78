namespace Retention.AspNetCore;

/// <summary>How <c>MapJobCleanup</c> maps the cleanup endpoints.</summary>
public sealed class JobCleanupEndpointOptions
{
    /// <summary>
    /// The authorization policy every endpoint requires. One of this and <see cref="AllowAnonymous"/>
    /// must be set: the endpoints delete data, so mapping them open by accident is refused.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>Maps the endpoints without authorization (a host behind its own gateway, a local tool). Default: false.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>The largest request body accepted, in bytes; a larger one gets 413. Default: 16 KB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>The most runs <c>GET runs</c> returns in one page. Default: 200.</summary>
    public int MaxRunsPerPage { get; set; } = 200;

    /// <summary>The health check <c>GET health</c> runs (added with <c>AddHealthChecks().AddJobCleanupCheck()</c>). Default: <c>job-cleanup</c>.</summary>
    public string HealthCheckName { get; set; } = "job-cleanup";
}
