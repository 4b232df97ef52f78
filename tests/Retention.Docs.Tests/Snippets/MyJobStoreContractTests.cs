using Microsoft.Data.Sqlite;
using Retention.Testing;

namespace Retention.Docs.Snippets;

// The contract suite run against the worked example (docs/stores.md): the same tests the library's own stores pass.
public sealed class MyStoreContractTests : JobStoreContract<MyJobStore>, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"tasks-{Guid.NewGuid():N}.db");

    protected override async Task<MyJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        var store = new MyJobStore(await NewDatabaseAsync());
        await InsertAsync(jobs);
        return store;
    }

    // The host's schema, as its own migrations would have made it.
    private async Task<string> NewDatabaseAsync()
    {
        var connectionString = $"Data Source={_file};Pooling=False";
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE tasks (task_id TEXT PRIMARY KEY, state TEXT NOT NULL, kind TEXT, submitted_at TEXT NOT NULL,
                started_at TEXT, finished_at TEXT, error TEXT, data_cleaned_at TEXT);
            CREATE TABLE task_files (task_id TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL, size_bytes INTEGER);
            """;
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    private async Task InsertAsync(IReadOnlyList<JobRecord> jobs)
    {
        static string? T(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var states = new Dictionary<JobStatus, string> { [JobStatus.Pending] = "queued", [JobStatus.Running] = "running", [JobStatus.Succeeded] = "done", [JobStatus.Failed] = "error", [JobStatus.Cancelled] = "cancelled" };
        await using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        await connection.OpenAsync();
        foreach (var job in jobs)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO tasks VALUES (@id, @state, @kind, @submitted, @started, @finished, @error, @cleaned)";
            insert.Parameters.AddWithValue("@id", job.Id);
            insert.Parameters.AddWithValue("@state", states[job.Status]);
            insert.Parameters.AddWithValue("@kind", (object?)job.JobType ?? DBNull.Value);
            insert.Parameters.AddWithValue("@submitted", T(job.CreatedAt));
            insert.Parameters.AddWithValue("@started", (object?)T(job.StartedAt) ?? DBNull.Value);
            insert.Parameters.AddWithValue("@finished", (object?)T(job.CompletedAt) ?? DBNull.Value);
            insert.Parameters.AddWithValue("@error", (object?)job.ErrorMessage ?? DBNull.Value);
            insert.Parameters.AddWithValue("@cleaned", (object?)T(job.DataCleanedAt) ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
            foreach (var file in job.Artifacts)
            {
                await using var artifact = connection.CreateCommand();
                artifact.CommandText = "INSERT INTO task_files VALUES (@id, @kind, @path, @size)";
                artifact.Parameters.AddWithValue("@id", job.Id);
                artifact.Parameters.AddWithValue("@kind", file.Kind.Name);
                artifact.Parameters.AddWithValue("@path", file.Path);
                artifact.Parameters.AddWithValue("@size", (object?)file.SizeBytes ?? DBNull.Value);
                await artifact.ExecuteNonQueryAsync();
            }
        }
    }

    public void Dispose() => File.Delete(_file);
}
