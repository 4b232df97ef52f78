using Retention;
using Retention.Cleanup;
using Retention.Sqlite;
using Retention.Stores;

namespace WebHost.Dashboard;

/// <summary>What the dashboard shows that the cleanup endpoints do not: storage by status, and jobs waiting to become due.</summary>
internal static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder app, string policy) =>
        app.MapGet("/api/dashboard", GetAsync).RequireAuthorization(policy);

    private static async Task<IResult> GetAsync(SqliteJobStore store, IJobExplainer explainer, TimeProvider time, CancellationToken ct)
    {
        var usage = await store.GetStorageUsageAsync(ct);

        // Finished jobs not yet cleaned, with what the policy says of each: due now, or when.
        var finished = new CleanupCandidateQuery([JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled], time.GetUtcNow().AddYears(1), 500);
        var awaiting = new List<object>();
        await foreach (var job in store.GetCleanupCandidatesAsync(finished, ct))
        {
            if (await explainer.ExplainAsync(job.Id, ct) is { } decision && (decision.HasDueArtifacts || decision.NextDueAt is not null))
            {
                awaiting.Add(new
                {
                    job_id = job.Id,
                    status = job.Status.ToWord(),
                    due_now = decision.HasDueArtifacts,
                    due_at = decision.HasDueArtifacts ? (DateTimeOffset?)null : decision.NextDueAt,
                    reason = decision.Reason,
                });
            }
        }

        return Results.Json(new
        {
            storage = usage.Select(u => new { status = u.Status, jobs = u.Jobs, bytes = u.Bytes, human_readable = ByteSize.Format(u.Bytes) }),
            held_bytes = usage.Sum(u => u.Bytes),
            awaiting_cleanup = awaiting,
        });
    }
}
