using Microsoft.Extensions.Options;
using Retention;
using Retention.Sqlite;
using Retention.Stores;

namespace WebHost.Jobs;

/// <summary>The EEMT web interface's job API: submit a file, list jobs, look at one.</summary>
internal static class JobsApi
{
    private const long MaxUpload = 64L * 1024 * 1024;

    public static void MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapPost(string.Empty, SubmitAsync).DisableAntiforgery();
        jobs.MapGet(string.Empty, ListAsync);
        jobs.MapGet("/{id}", async (string id, SqliteJobStore store, CancellationToken ct) =>
            await store.FindJobAsync(id, ct) is { } job ? Results.Ok(Summary(job)) : Results.NotFound());
    }

    // POST /api/jobs with a multipart "file": stored as uploads/{job_id}_{name}, then queued.
    private static async Task<IResult> SubmitAsync(IFormFile? file, SqliteJobStore store, JobQueue queue, IOptions<WebOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Upload a non-empty file in the multipart field 'file'."] });
        }

        if (file.Length > MaxUpload)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"Uploads may be at most {MaxUpload} bytes.");
        }

        var now = time.GetUtcNow();
        var id = $"job-{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        // Letters, digits, '.', '-' and '_' only, and not too long: the name becomes part of a path.
        var name = string.Concat(Path.GetFileName(file.FileName).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
        name = name.Trim('.') is { Length: > 0 } trimmed ? trimmed[..Math.Min(trimmed.Length, 100)] : "upload";
        var upload = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "uploads", $"{id}_{name}");
        await using (var target = File.Create(upload))
        {
            await file.CopyToAsync(target, ct);
        }

        var job = new JobRecord(id, JobStatus.Pending) { JobType = "eemt", CreatedAt = now, Artifacts = [new JobArtifact(ArtifactKind.Input, upload, file.Length)] };
        await store.UpsertAsync(job, ct);
        await queue.EnqueueAsync(id, ct);
        return Results.Created($"/api/jobs/{id}", Summary(job));
    }

    private static async Task<IResult> ListAsync(SqliteJobStore store, CancellationToken ct)
    {
        var list = new List<object>();
        await foreach (var id in ((IReferencedPathStore)store).GetAllJobIdsAsync(ct))
        {
            if (await store.FindJobAsync(id, ct) is { } job)
            {
                list.Add(Summary(job));
            }
        }

        return Results.Ok(list);
    }

    private static object Summary(JobRecord job) => new
    {
        job_id = job.Id,
        status = job.Status.ToWord(),
        created_at = job.CreatedAt,
        started_at = job.StartedAt,
        completed_at = job.CompletedAt,
        data_cleaned_at = job.DataCleanedAt,
        error_message = job.ErrorMessage,
    };
}
