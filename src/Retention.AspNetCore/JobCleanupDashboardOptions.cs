namespace Retention.AspNetCore;

/// <summary>How <c>MapJobCleanupDashboard</c> maps the dashboard page and its API.</summary>
public sealed class JobCleanupDashboardOptions
{
    /// <summary>
    /// The authorization policy a user needs to see the dashboard (the page and its read endpoints). One of this and
    /// <see cref="AllowAnonymous"/> must be set: the page shows job ids, paths and who ran what.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// The authorization policy a user needs, besides <see cref="AuthorizationPolicy"/>, to act: clean now, reap stale jobs,
    /// cancel a run. A user who meets only <see cref="AuthorizationPolicy"/> gets a read-only dashboard (an action answers 403).
    /// Default: none, so whoever may see may act.
    /// </summary>
    public string? ActionsPolicy { get; set; }

    /// <summary>Maps the dashboard without authorization (a host behind its own gateway, a local tool). Default: false.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>The health check the dashboard shows (added with <c>AddHealthChecks().AddJobCleanupCheck()</c>). Default: <c>job-cleanup</c>.</summary>
    public string HealthCheckName { get; set; } = "job-cleanup";
}
