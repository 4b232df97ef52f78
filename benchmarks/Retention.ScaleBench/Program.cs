// Generates the scale benchmark's dataset: jobs.db in the SQLite store's schema (created by the store itself) with jobs
// in every status and age, and for each job uploads/{id}_dem.tif and results/{id}/ holding several files of mixed sizes.
// Usage: Retention.ScaleBench <dir> <jobs> [files-per-job, 0 for none] [seed] [jobs-with-files, default all]
//        Retention.ScaleBench postgres <dir> <connection-string>: copies <dir>/jobs.db's jobs into PostgreSQL (PostgresCopy.cs)
// With jobs-with-files below jobs, every (jobs / jobs-with-files)th job has files and the rest have none: a large
// history whose older jobs' data is long gone, the shape of the --large dataset (a million rows, a quarter million files).
// Writes <dir>/due-paths.txt: the paths the default policy (succeeded 7 days, failed 12 hours) makes due, for the floor.
using System.Globalization;
using Microsoft.Data.Sqlite;
using Retention.Sqlite;

if (args is ["postgres", var copyDir, var connectionString])
{
    return await PostgresCopy.RunAsync(Path.GetFullPath(copyDir), connectionString);
}

if (args.Length < 2 || !int.TryParse(args[1], out var jobs) || jobs < 1)
{
    Console.Error.WriteLine("usage: Retention.ScaleBench <dir> <jobs> [files-per-job] [seed] [jobs-with-files]");
    return 2;
}

var dir = Path.GetFullPath(args[0]);
var filesPerJob = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var random = new Random(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 42);
var withFiles = args.Length > 4 ? Math.Clamp(int.Parse(args[4], CultureInfo.InvariantCulture), 1, jobs) : jobs;
var stride = jobs / withFiles;
Directory.CreateDirectory(Path.Combine(dir, "uploads"));
Directory.CreateDirectory(Path.Combine(dir, "results"));
var database = Path.Combine(dir, "jobs.db");
using (var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = database }))
{
    await store.InitializeAsync();
}

// Ages are kept an hour away from either cutoff, so the run and the floor agree on what is due whatever seconds pass between them.
var now = DateTimeOffset.UtcNow;
string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
TimeSpan Age(double minHours, double maxHours) => TimeSpan.FromHours(minHours + (random.NextDouble() * (maxHours - minHours)));
var buffer = new byte[32 * 1024];
random.NextBytes(buffer);
long bytes = 0, files = 0, dueJobs = 0;
await using var due = new StreamWriter(Path.Combine(dir, "due-paths.txt"));
await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
await connection.OpenAsync();
await using (var pragma = connection.CreateCommand())
{
    pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;";
    await pragma.ExecuteNonQueryAsync();
}

var transaction = connection.BeginTransaction();
var insert = connection.CreateCommand();
insert.Transaction = transaction;
insert.CommandText = "INSERT INTO jobs (id, status, job_type, created_at, started_at, completed_at, data_size_mb) VALUES (@id, @status, 'eemt', @created, @started, @completed, @mb)";
foreach (var name in new[] { "@id", "@status", "@created", "@started", "@completed", "@mb" })
{
    insert.Parameters.Add(new SqliteParameter(name, null));
}

for (var i = 0; i < jobs; i++)
{
    var id = $"job-{i:D8}";
    var roll = random.Next(100);
    var (status, age, isDue) = roll switch
    {
        < 35 => ("completed", Age(8 * 24, 60 * 24), true),       // succeeded, past 7 days: due
        < 50 => ("completed", Age(1, 6 * 24), false),            // succeeded, younger
        < 65 => ("failed", Age(13, 30 * 24), true),              // failed, past 12 hours: due
        < 70 => ("failed", Age(0.1, 11), false),                 // failed, younger
        < 75 => ("cancelled", Age(13, 60 * 24), true),           // cancelled, past 12 hours (as failed): due
        < 80 => ("cancelled", Age(0.1, 11), false),              // cancelled, younger
        < 90 => ("running", Age(0.1, 5 * 24), false),
        < 95 => ("pending", Age(0.1, 2 * 24), false),
        _ => ("scheduled", Age(0.1, 2 * 24), false),
    };
    var finished = now - age;
    var active = status is "running" or "pending" or "scheduled";
    long jobBytes = 0;
    if (filesPerJob > 0 && i % stride == 0)
    {
        var input = 1024 + random.Next(7 * 1024);
        await File.WriteAllBytesAsync(Path.Combine(dir, "uploads", $"{id}_dem.tif"), buffer.AsMemory(0, input));
        var results = Directory.CreateDirectory(Path.Combine(dir, "results", id)).FullName;
        jobBytes += input;
        for (var f = 0; f < filesPerJob; f++)
        {
            // Mixed sizes: mostly small logs and metadata, some larger rasters; one in a subfolder.
            var size = f == 0 ? 4096 + random.Next(28 * 1024) : 256 + random.Next(1792);
            var path = f == filesPerJob - 1 ? Path.Combine(Directory.CreateDirectory(Path.Combine(results, "logs")).FullName, "run.log") : Path.Combine(results, $"part-{f}.tif");
            await File.WriteAllBytesAsync(path, buffer.AsMemory(0, size));
            jobBytes += size;
        }

        files += filesPerJob + 1;
        bytes += jobBytes;
        if (isDue)
        {
            await due.WriteLineAsync($"uploads/{id}_dem.tif");
            await due.WriteLineAsync($"results/{id}");
        }
    }

    dueJobs += isDue ? 1 : 0;
    insert.Parameters["@id"].Value = id;
    insert.Parameters["@status"].Value = status;
    insert.Parameters["@created"].Value = Time(finished - TimeSpan.FromHours(2));
    insert.Parameters["@started"].Value = active && status != "running" ? DBNull.Value : Time(finished - TimeSpan.FromHours(1));
    insert.Parameters["@completed"].Value = active ? DBNull.Value : Time(finished);
    insert.Parameters["@mb"].Value = jobBytes > 0 ? Math.Round(jobBytes / 1048576.0, 3) : DBNull.Value;
    await insert.ExecuteNonQueryAsync();
    if (i % 50_000 == 49_999)
    {
        await transaction.CommitAsync();
        transaction.Dispose();
        transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
    }
}

await transaction.CommitAsync();
transaction.Dispose();
insert.Dispose();
await using (var checkpoint = connection.CreateCommand())
{
    checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;";
    await checkpoint.ExecuteNonQueryAsync();
}

Console.WriteLine($"{jobs} jobs ({dueJobs} due), {files} files, {bytes / 1048576.0:0.0} MB in {dir}");
return 0;
