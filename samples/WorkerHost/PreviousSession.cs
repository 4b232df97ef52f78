using Retention;
using Retention.Sqlite;

namespace WorkerHost;

/// <summary>
/// What a crashed previous process leaves behind, written into a new data directory so the first start has something to do:
/// jobs still marked running, finished jobs past their retention with their files, and a directory no job owns.
/// </summary>
internal static class PreviousSession
{
    public static async Task SeedAsync(SqliteJobStore store, string dataDirectory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jobs = new List<JobRecord>
        {
            Job("job-crashed-1", JobStatus.Running, now.AddMinutes(-42), null),
            Job("job-crashed-2", JobStatus.Scheduled, now.AddMinutes(-40), null),
            Job("job-old-ok-1", JobStatus.Succeeded, now.AddDays(-9), now.AddDays(-9).AddMinutes(20)),
            Job("job-old-ok-2", JobStatus.Succeeded, now.AddDays(-8), now.AddDays(-8).AddMinutes(15)),
            Job("job-old-failed", JobStatus.Failed, now.AddDays(-1), now.AddDays(-1).AddMinutes(3)),
        };
        foreach (var job in jobs)
        {
            WriteFiles(dataDirectory, job.Id, inputBytes: 200_000, outputBytes: 1_500_000);
        }

        await store.UpsertAsync(jobs, cancellationToken);

        // Results of a job whose record was lost: an orphan for the sweep to find.
        var orphan = Path.Combine(dataDirectory, "results", "job-lost-record");
        Directory.CreateDirectory(orphan);
        var orphanFile = Path.Combine(orphan, "output.tif");
        await File.WriteAllBytesAsync(orphanFile, new byte[300_000], cancellationToken);
        File.SetLastWriteTimeUtc(orphanFile, now.AddDays(-3).UtcDateTime);
        Directory.SetLastWriteTimeUtc(orphan, now.AddDays(-3).UtcDateTime);
    }

    /// <summary>uploads/{id}_input.dat and results/{id}/output.dat plus a log, as the seed's worker writes them.</summary>
    public static void WriteFiles(string dataDirectory, string jobId, int inputBytes, int outputBytes)
    {
        File.WriteAllBytes(Path.Combine(dataDirectory, "uploads", jobId + "_input.dat"), new byte[inputBytes]);
        var results = Directory.CreateDirectory(Path.Combine(dataDirectory, "results", jobId)).FullName;
        File.WriteAllBytes(Path.Combine(results, "output.dat"), new byte[outputBytes]);
        File.WriteAllText(Path.Combine(results, "job.log"), $"{jobId}: processed\n");
    }

    private static JobRecord Job(string id, JobStatus status, DateTimeOffset started, DateTimeOffset? completed) => new(id, status)
    {
        JobType = "eemt",
        CreatedAt = started.AddSeconds(-5),
        StartedAt = status == JobStatus.Scheduled ? null : started,
        CompletedAt = completed,
    };
}
