using System.Globalization;
using Retention.Sqlite;

namespace Retention.Cli.Demo;

/// <summary>
/// A demo installation in the default layout: <c>jobs.db</c>, <c>uploads/{job_id}_dem.tif</c>, <c>results/{job_id}/...</c>,
/// with jobs in every status and age and real files of realistic relative sizes (scaled down to megabytes).
/// </summary>
internal static class DemoDataset
{
    public static async Task<int> CreateAsync(string directory, int jobs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var uploads = Directory.CreateDirectory(Path.Combine(directory, "uploads")).FullName;
        var results = Directory.CreateDirectory(Path.Combine(directory, "results")).FullName;
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = Path.Combine(directory, "jobs.db") });
        var random = new Random(20240115);
        var records = new List<JobRecord>();
        for (var i = 0; i < jobs; i++)
        {
            // A spread that exercises every rule: succeeded old and recent, failed old and recent, active, cancelled.
            var (status, age) = (i % 9) switch
            {
                0 or 1 => (JobStatus.Succeeded, TimeSpan.FromDays(7.5 + random.NextDouble() * 20)),
                2 or 3 => (JobStatus.Succeeded, TimeSpan.FromDays(random.NextDouble() * 6.5)),
                4 => (JobStatus.Failed, TimeSpan.FromHours(13 + random.NextDouble() * 100)),
                5 => (JobStatus.Failed, TimeSpan.FromHours(random.NextDouble() * 11)),
                6 => (JobStatus.Running, TimeSpan.FromHours(random.NextDouble() * 3)),
                7 => (JobStatus.Pending, TimeSpan.FromMinutes(random.NextDouble() * 30)),
                _ => (JobStatus.Cancelled, TimeSpan.FromDays(random.NextDouble() * 30)),
            };
            var finished = now - age;
            var id = "job-" + finished.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            if (records.Exists(r => r.Id == id))
            {
                id += "-" + i.ToString(CultureInfo.InvariantCulture);
            }

            var input = 100_000 + random.Next(300_000);
            var inputPath = Path.Combine(uploads, $"{id}_dem.tif");
            await WriteAsync(inputPath, input, cancellationToken);
            long output = 0;
            if (status is not JobStatus.Pending)
            {
                var files = status == JobStatus.Failed ? 1 : 4;
                for (var f = 0; f < files; f++)
                {
                    var size = status == JobStatus.Failed ? 20_000 + random.Next(80_000) : 200_000 + random.Next(1_500_000);
                    output += size;
                    await WriteAsync(Path.Combine(results, id, f == 0 ? "eemt.tif" : Path.Combine("sol", $"insolation_{f:00}.tif")), size, cancellationToken);
                }
            }

            records.Add(new JobRecord(id, status)
            {
                JobType = "eemt",
                CreatedAt = finished - TimeSpan.FromMinutes(90),
                StartedAt = status == JobStatus.Pending ? null : finished - TimeSpan.FromMinutes(80),
                CompletedAt = status.IsActive() ? null : finished,
                ErrorMessage = status == JobStatus.Failed ? "Solar radiation step failed: out of memory" : null,

                // The store records the job's files and sizes (data_size_mb); the conventions would find them anyway.
                Artifacts = output > 0
                    ? [new JobArtifact(ArtifactKind.Input, inputPath, input), new JobArtifact(ArtifactKind.Output, Path.Combine(results, id), output)]
                    : [new JobArtifact(ArtifactKind.Input, inputPath, input)],
            });
        }

        await store.UpsertAsync(records, cancellationToken);
        return records.Count;
    }

    private static async Task WriteAsync(string path, int bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        file.SetLength(0);
        var chunk = new byte[Math.Min(bytes, 64 * 1024)];
        for (var written = 0; written < bytes; written += chunk.Length)
        {
            await file.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, bytes - written)), cancellationToken);
        }
    }
}
