using Retention;
using Retention.Stores.InMemory;

namespace QuickStart;

/// <summary>Writes a small job tree in the seed's layout (uploads/{id}_dem.tif, results/{id}/...) and the matching jobs.</summary>
internal static class DemoTree
{
    public static void Create(string root, InMemoryJobStore store, DateTimeOffset now)
    {
        Directory.CreateDirectory(Path.Combine(root, "uploads"));
        Directory.CreateDirectory(Path.Combine(root, "results"));
        Add(root, store, now, "job-20240115-123456", JobStatus.Succeeded, TimeSpan.FromDays(8.2), outputKb: 1536);
        Add(root, store, now, "job-20240116-090000", JobStatus.Succeeded, TimeSpan.FromDays(10), outputKb: 768);
        Add(root, store, now, "job-20240121-101500", JobStatus.Succeeded, TimeSpan.FromDays(2), outputKb: 512);
        Add(root, store, now, "job-20240122-140000", JobStatus.Failed, TimeSpan.FromHours(13), outputKb: 96);
        Add(root, store, now, "job-20240123-010000", JobStatus.Failed, TimeSpan.FromHours(3), outputKb: 64);
        Add(root, store, now, "job-20240123-020000", JobStatus.Running, TimeSpan.FromDays(2), outputKb: 256);
        Add(root, store, now, "job-20240123-030000", JobStatus.Pending, TimeSpan.FromMinutes(5), outputKb: 0);
        Add(root, store, now, "job-20231201-080000", JobStatus.Succeeded, TimeSpan.FromDays(45), outputKb: 1024, hold: new JobHold("alice", "figures for the paper"));
    }

    private static void Add(string root, InMemoryJobStore store, DateTimeOffset now, string id, JobStatus status, TimeSpan age, int outputKb, JobHold? hold = null)
    {
        Write(Path.Combine(root, "uploads", $"{id}_dem.tif"), 250 * 1024);
        if (outputKb > 0)
        {
            var results = Path.Combine(root, "results", id);
            Write(Path.Combine(results, "eemt.tif"), outputKb * 1024 * 3 / 4);
            Write(Path.Combine(results, "sol", "insolation.tif"), outputKb * 1024 / 4);
            Write(Path.Combine(results, "job.log"), 2048);
        }

        store.Upsert(new JobRecord(id, status)
        {
            JobType = "eemt",
            CreatedAt = now - age - TimeSpan.FromHours(1),
            StartedAt = status == JobStatus.Pending ? null : now - age - TimeSpan.FromMinutes(45),
            CompletedAt = status.IsActive() ? null : now - age,
            Holds = hold is null ? [] : [hold],
        });
    }

    private static void Write(string path, int bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }
}
