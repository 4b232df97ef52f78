using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.AspNetCore.Contracts;
using Retention.Cleanup;
using Retention.Hosting;
using Retention.Policies;
using Retention.Reaping;
using Retention.Stores;

namespace Retention.AspNetCore.Endpoints;

/// <summary>The endpoint handlers. Every 4xx is decided before anything runs, so a refused request changes nothing.</summary>
internal static class CleanupEndpoints
{
    public static async Task<IResult> CleanAsync(HttpContext context, JobCleanupEndpointOptions endpoint)
    {
        if (ContentTypeProblem(context) is { } refused)
        {
            return refused;
        }

        var body = await ReadBodyAsync(context, endpoint.MaxRequestBodyBytes).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!CleanupRequestBody.TryParse(body.Bytes, out var parsed, out var error))
        {
            return Invalid(error.Field, error.Message);
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JobCleanupOptions>>().Value;
        var request = Request(context, CleanupTriggers.Http, parsed.DryRun) with { Policy = PolicyFor(parsed, options), ConfirmMassDeletion = parsed.ConfirmMassDeletion };
        return await RunAsync(context, request, report => Results.Json(CleanupResponse.From(report), CleanupJson.Options)).ConfigureAwait(false);
    }

    public static Task<IResult> PreviewAsync(HttpContext context) =>
        RunAsync(context, Request(context, CleanupTriggers.Http, dryRun: true), report => Results.Json(CleanupResponse.From(report, withArtifacts: true), CleanupJson.Options));

    public static IResult Status(HttpContext context)
    {
        var services = context.RequestServices;
        var status = services.GetRequiredService<ICleanupStatus>().GetSnapshot();
        return Results.Json(StatusResponse.From(status, services.GetRequiredService<IJobExplainer>().Policy), CleanupJson.Options);
    }

    public static async Task<IResult> StaleAsync(HttpContext context, string? mode)
    {
        mode = string.IsNullOrEmpty(mode) ? "stuck" : mode.ToLowerInvariant();
        if (mode is not ("stuck" or "startup"))
        {
            return Invalid("mode", $"mode must be 'stuck' (jobs past the execution timeout) or 'startup' (every running and scheduled job); it is '{mode}'.");
        }

        var reaper = context.RequestServices.GetRequiredService<IStaleJobReaper>();
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;

        // Not the request's token: a reset half done because a client hung up would be worse than one that finishes.
        var report = mode == "startup" ? await reaper.ReapAtStartupAsync(stopping).ConfigureAwait(false) : await reaper.ReapStuckJobsAsync(stopping).ConfigureAwait(false);
        AuditLog.StaleResetRequested(Audit(context), mode, User(context), RemoteIp(context), report.Reaped.Count);
        return Results.Json(StaleResponse.From(mode, report), CleanupJson.Options);
    }

    public static async Task<IResult> RunsAsync(HttpContext context, JobCleanupEndpointOptions endpoint, string? limit, string? before, string? trigger)
    {
        var count = 20;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count < 1 || count > endpoint.MaxRunsPerPage))
        {
            return Invalid("limit", $"limit must be a whole number from 1 to {endpoint.MaxRunsPerPage}; it is '{limit}'.");
        }

        DateTimeOffset? startedBefore = null;
        string? beforeRun = null;
        if (before is not null)
        {
            // A page's next_before is "{started_at}~{run_id}"; a bare time is accepted too.
            var cut = before.IndexOf('~', StringComparison.Ordinal);
            var time = cut < 0 ? before : before[..cut];
            if (!DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                return Invalid("before", $"before must be a page's next_before, or an ISO-8601 time such as 2024-01-20T02:00:00Z; it is '{before}'.");
            }

            startedBefore = at;
            beforeRun = cut < 0 ? null : before[(cut + 1)..];
        }

        if (context.RequestServices.GetService<ICleanupRunStore>() is not { } history)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No run history", detail: "The registered store keeps no run history (it does not implement ICleanupRunStore).");
        }

        var runs = await history.GetRunsAsync(new CleanupRunQuery { Limit = count, StartedBefore = startedBefore, BeforeRunId = beforeRun, Trigger = trigger }, context.RequestAborted).ConfigureAwait(false);
        var next = runs.Count == count ? $"{runs[^1].StartedAt.UtcDateTime:O}~{runs[^1].RunId}" : null;
        return Results.Json(new RunsResponse(runs, next), CleanupJson.Options);
    }

    public static IResult Cancel(HttpContext context, string runId)
    {
        var services = context.RequestServices;
        var cancelled = services.GetService<ICleanupTrigger>()?.Cancel(runId) ?? false;
        AuditLog.CancelRequested(Audit(context), runId, User(context), RemoteIp(context), cancelled);
        if (cancelled)
        {
            return Results.Json(new { run_id = runId, cancelling = true }, CleanupJson.Options, statusCode: StatusCodes.Status202Accepted);
        }

        return services.GetRequiredService<ICleanupStatus>().GetSnapshot().CurrentRun is { } running && running.RunId == runId
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The run cannot be cancelled here", detail: $"Run {runId} (trigger {running.Trigger}) was not started on demand in this process; only runs started through the endpoints can be cancelled.")
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run in progress", detail: $"Run {runId} is not in progress.");
    }

    private static async Task<IResult> RunAsync(HttpContext context, CleanupRequest request, Func<CleanupReport, IResult> ok)
    {
        var services = context.RequestServices;

        // Through the host's trigger when there is one: the run then belongs to the host, which waits for it on stop.
        var start = services.GetService<ICleanupTrigger>() is { } trigger
            ? trigger.Trigger(request)
            : services.GetRequiredService<IJobCleaner>().Start(request, services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None);
        if (!start.Started)
        {
            AuditLog.CleanupRefused(Audit(context), User(context), RemoteIp(context), start.Running?.RunId ?? "unknown");
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A cleanup run is already in progress",
                detail: start.Running is { } r ? $"Run {r.RunId} (trigger {r.Trigger}) started at {r.StartedAt:u}; try again when it has finished." : "Try again when it has finished.",
                // Serialized here: problem details use the host's JSON options, and the run's fields are snake_case like the rest.
                extensions: new Dictionary<string, object?> { ["running"] = System.Text.Json.JsonSerializer.SerializeToElement(RunProgress.From(start.Running), CleanupJson.Options) });
        }

        // Audited as soon as it starts, so a client that hangs up (the run goes on and records itself) is still on record.
        AuditLog.CleanupRequested(Audit(context), request.DryRun ? "preview" : "run", User(context), RemoteIp(context), start.RunId ?? "unknown");
        var report = await start.Completion!.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        if (report.Outcome == CleanupOutcome.Failed)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "The cleanup run failed",
                detail: report.Error,
                extensions: new Dictionary<string, object?> { ["run_id"] = report.RunId, ["jobs_cleaned"] = report.Stats.JobsCleaned });
        }

        return ok(report);
    }

    private static CleanupRequest Request(HttpContext context, string trigger, bool dryRun) => new()
    {
        DryRun = dryRun,
        Trigger = trigger,
        RequestedBy = User(context),
        RequestedFrom = RemoteIp(context),
    };

    // Hours in the request replace the retention for this run only, as the two default rules; unspecified hours keep the configured ones.
    private static RetentionPolicy? PolicyFor(CleanupRequestBody body, JobCleanupOptions options) =>
        body.SuccessRetentionHours is null && body.FailedRetentionHours is null
            ? null
            : RetentionPolicy.CreateBuilder().AddDefaults(
                body.SuccessRetentionHours is { } s ? TimeSpan.FromHours(s) : options.SucceededRetention,
                body.FailedRetentionHours is { } f ? TimeSpan.FromHours(f) : options.FailedRetention).Build();

    internal static async Task<(ReadOnlyMemory<byte> Bytes, IResult? Problem)> ReadBodyAsync(HttpContext context, long max)
    {
        if (context.Request.ContentLength > max)
        {
            return (default, TooLarge(max));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return (default, TooLarge(max));
            }
        }

        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    // A browser sends a cross-site form or text POST without asking first; a JSON body (or none, as a bare curl) it cannot.
    internal static IResult? ContentTypeProblem(HttpContext context)
    {
        var type = context.Request.ContentType;
        if (string.IsNullOrEmpty(type) || context.Request.HasJsonContentType())
        {
            return null;
        }

        return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type", detail: $"Send the request body as application/json, not {type}.");
    }

    private static IResult TooLarge(long max) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"The request body may be at most {max} bytes.", extensions: new Dictionary<string, object?> { ["field"] = "body" });

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "Invalid cleanup request");

    internal static string User(HttpContext context) => context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "anonymous";

    internal static string RemoteIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static ILogger Audit(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AuditLog.Category);
}
