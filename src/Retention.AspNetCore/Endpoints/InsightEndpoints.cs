using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retention.AspNetCore.Contracts;
using Retention.Cleanup;
using Retention.Stores;

namespace Retention.AspNetCore.Endpoints;

/// <summary>The read endpoints that look at the store rather than the runs: a job's explanation, storage held, what is due next, health.</summary>
internal static class InsightEndpoints
{
    /// <summary>The most jobs <c>GET due</c> lists; it reads four times as many candidates, so its answer stays small and quick.</summary>
    public const int MaxDueJobs = 100;

    private static readonly JobStatus[] Finished = [JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled];

    public static async Task<IResult> ExplainAsync(HttpContext context, string jobId)
    {
        if (NoLookup(context) is { } missing)
        {
            return missing;
        }

        var decision = await context.RequestServices.GetRequiredService<IJobExplainer>().ExplainAsync(jobId, context.RequestAborted).ConfigureAwait(false);
        return decision is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job", detail: $"The store has no job '{jobId}'.")
            : Results.Json(ExplainResponse.From(decision), CleanupJson.Options);
    }

    public static async Task<IResult> StorageAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var byStatus = services.GetService<IStorageUsageStore>() is { } usage ? await usage.GetStorageUsageAsync(context.RequestAborted).ConfigureAwait(false) : null;
        var byKind = services.GetService<IArtifactUsageStore>() is { } kinds ? await kinds.GetArtifactUsageAsync(context.RequestAborted).ConfigureAwait(false) : null;
        return Results.Json(StorageResponse.From(byStatus, byKind), CleanupJson.Options);
    }

    public static async Task<IResult> DueAsync(HttpContext context, string? limit)
    {
        var count = 20;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxDueJobs))
        {
            return CleanupEndpoints.Invalid("limit", $"limit must be a whole number from 1 to {MaxDueJobs}; it is '{limit}'.");
        }

        if (NoLookup(context) is { } missing)
        {
            return missing;
        }

        var services = context.RequestServices;
        var store = services.GetRequiredService<IJobStore>();
        var explainer = services.GetRequiredService<IJobExplainer>();
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var window = count * 4;

        // Every finished job not yet cleaned, whenever it finished: the policy, not the query, says which are due.
        var query = new CleanupCandidateQuery(Finished, now.AddYears(100), window);
        var jobs = new List<DueJob>();
        var scanned = 0;
        var complete = true;
        await foreach (var job in store.GetCleanupCandidatesAsync(query, context.RequestAborted).ConfigureAwait(false))
        {
            if (scanned == window)
            {
                complete = false;
                break;
            }

            scanned++;
            if (await explainer.ExplainAsync(job.Id, context.RequestAborted).ConfigureAwait(false) is { } decision && (decision.HasDueArtifacts || decision.NextDueAt is not null))
            {
                var bytes = decision.Artifacts.Sum(a => a.Artifact.SizeBytes ?? 0);
                jobs.Add(new DueJob(job.Id, job.UnmappedStatus ?? job.Status.ToWord(), decision.HasDueArtifacts, decision.HasDueArtifacts ? null : decision.NextDueAt, bytes, decision.Reason));
            }
        }

        var overdue = jobs.Where(j => j.DueNow).ToArray();
        var soonest = jobs.OrderByDescending(j => j.DueNow).ThenBy(j => j.DueAt).Take(count).ToArray();
        return Results.Json(new DueResponse(scanned, complete, overdue.Length, ByteCount.Of(overdue.Sum(j => j.Bytes)), soonest), CleanupJson.Options);
    }

    public static async Task<IResult> CompareAsync(HttpContext context, JobCleanupEndpointOptions options)
    {
        var body = await CleanupEndpoints.ReadBodyAsync(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!CandidatePolicyBody.TryParse(body.Bytes, out var candidate, out var error))
        {
            return CleanupEndpoints.Invalid(error.Field, error.Message);
        }

        var comparison = await context.RequestServices.GetRequiredService<IJobExplainer>().CompareAsync(candidate, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(ComparisonResponse.From(comparison), CleanupJson.Options);
    }

    // Explaining a job needs the store to find it by id.
    private static IResult? NoLookup(HttpContext context) =>
        context.RequestServices.GetService<IJobLookupStore>() is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No job lookup", detail: "The registered store cannot look jobs up (it does not implement IJobLookupStore).")
            : null;

    public static async Task HealthAsync(HttpContext context, string checkName)
    {
        var report = context.RequestServices.GetService<HealthCheckService>() is { } health
            ? await health.CheckHealthAsync(r => r.Name == checkName, context.RequestAborted).ConfigureAwait(false)
            : null;
        if (report is null || report.Entries.Count == 0)
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No health check", detail: $"No health check named '{checkName}' is registered (AddHealthChecks().AddJobCleanupCheck()).")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await HealthJson.WriteAsync(context, report).ConfigureAwait(false);
    }
}
