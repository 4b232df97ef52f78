using Microsoft.Extensions.Options;
using Retention;
using Retention.Sqlite;

namespace WorkerHost;

/// <summary>
/// The seed's background worker: takes a job, writes its input and results, and marks it done. Every fourth job fails;
/// the second and every seventh after it hang (the record stays running, as when a worker thread dies), for the reaper to find.
/// </summary>
internal sealed partial class DemoJobProcessor(SqliteJobStore store, IOptions<WorkerOptions> options, TimeProvider time, ILogger<DemoJobProcessor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var dataDirectory = Path.GetFullPath(o.DataDirectory);
        try
        {
            for (var n = 1; !stoppingToken.IsCancellationRequested; n++)
            {
                await Task.Delay(o.SubmitEvery, time, stoppingToken);
                await ProcessAsync(dataDirectory, n, o.JobDuration, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(string dataDirectory, int n, TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var job = new JobRecord($"job-{started:yyyyMMdd-HHmmss}-{n:000}", JobStatus.Running) { JobType = "eemt", CreatedAt = started, StartedAt = started };
        await store.UpsertAsync(job, cancellationToken);
        PreviousSession.WriteFiles(dataDirectory, job.Id, inputBytes: 64 * 1024, outputBytes: 256 * 1024);
        LogStarted(logger, job.Id);
        if (n % 7 == 2)
        {
            LogHung(logger, job.Id);
            return; // the record stays "running" forever unless the reaper steps in
        }

        await Task.Delay(duration, time, cancellationToken);
        var failed = n % 4 == 0;
        await store.UpsertAsync(job with { Status = failed ? JobStatus.Failed : JobStatus.Succeeded, CompletedAt = time.GetUtcNow(), ErrorMessage = failed ? "Demo failure" : null }, cancellationToken);
        LogFinished(logger, job.Id, failed ? "failed" : "succeeded");
    }

    [LoggerMessage(1000, LogLevel.Information, "Job {JobId} started")]
    private static partial void LogStarted(ILogger logger, string jobId);

    [LoggerMessage(1001, LogLevel.Warning, "Job {JobId} hangs: its worker stopped answering")]
    private static partial void LogHung(ILogger logger, string jobId);

    [LoggerMessage(1002, LogLevel.Information, "Job {JobId} {Outcome}")]
    private static partial void LogFinished(ILogger logger, string jobId, string outcome);
}
