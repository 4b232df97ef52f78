using Microsoft.Extensions.Options;
using Retention;
using Retention.Sqlite;

namespace WebHost.Jobs;

/// <summary>
/// The EEMT web interface's job runner: takes an accepted job, runs it, writes <c>results/{job_id}/</c>. An upload whose name
/// contains <c>fail</c> fails; one whose name contains <c>hang</c> hangs (its record stays running, for the reaper).
/// </summary>
internal sealed partial class JobProcessor(JobQueue queue, SqliteJobStore store, IOptions<WebOptions> options, TimeProvider time, ILogger<JobProcessor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var results = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "results");
        await foreach (var jobId in queue.ReadAllAsync(stoppingToken))
        {
            if (await store.FindJobAsync(jobId, stoppingToken) is not { } job)
            {
                continue;
            }

            var started = time.GetUtcNow();
            await store.UpsertAsync(job with { Status = JobStatus.Running, StartedAt = started }, stoppingToken);
            var input = Path.GetFileName(job.Artifacts.FirstOrDefault(a => a.Kind == ArtifactKind.Input)?.Path) ?? string.Empty;
            if (input.Contains("hang", StringComparison.OrdinalIgnoreCase))
            {
                LogHung(logger, jobId);
                continue;
            }

            await Task.Delay(options.Value.JobDuration, time, stoppingToken);
            var output = Directory.CreateDirectory(Path.Combine(results, jobId)).FullName;
            await File.WriteAllBytesAsync(Path.Combine(output, "output.tif"), new byte[512 * 1024], stoppingToken);
            await File.WriteAllTextAsync(Path.Combine(output, "job.log"), $"{jobId}: processed {input}\n", stoppingToken);
            var failed = input.Contains("fail", StringComparison.OrdinalIgnoreCase);
            var outputBytes = Directory.EnumerateFiles(output).Sum(f => new FileInfo(f).Length);
            await store.UpsertAsync(
                job with
                {
                    Status = failed ? JobStatus.Failed : JobStatus.Succeeded,
                    StartedAt = started,
                    CompletedAt = time.GetUtcNow(),
                    ErrorMessage = failed ? "Solar model diverged" : null,
                    Artifacts = [.. job.Artifacts, new JobArtifact(ArtifactKind.Output, output, outputBytes)],
                },
                stoppingToken);
            LogFinished(logger, jobId, failed ? "failed" : "succeeded");
        }
    }

    [LoggerMessage(1100, LogLevel.Warning, "Job {JobId} hangs: its worker stopped answering")]
    private static partial void LogHung(ILogger logger, string jobId);

    [LoggerMessage(1101, LogLevel.Information, "Job {JobId} {Outcome}")]
    private static partial void LogFinished(ILogger logger, string jobId, string outcome);
}
