using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Retention.Sqlite.Tests;

/// <summary>A real temporary folder with a jobs.db made with plain SQL in the seed's shape, and the seed's uploads/ and results/.</summary>
internal sealed class SeedDatabase : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    public SeedDatabase(bool create = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "retention-sqlite-tests", Guid.NewGuid().ToString("N"));
        Uploads = Directory.CreateDirectory(Path.Combine(Root, "uploads")).FullName;
        Results = Directory.CreateDirectory(Path.Combine(Root, "results")).FullName;
        DatabasePath = Path.Combine(Root, "jobs.db");
        if (create)
        {
            Execute("""
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY,
                    status TEXT NOT NULL,
                    job_type TEXT,
                    created_at TEXT NOT NULL,
                    started_at TEXT,
                    completed_at TEXT,
                    error_message TEXT,
                    data_cleaned_at TEXT,
                    data_size_mb REAL)
                """);
        }
    }

    public string Root { get; }

    public string Uploads { get; }

    public string Results { get; }

    public string DatabasePath { get; }

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString();

    /// <summary>Inserts a job the way the seed's Flask app would (Python isoformat times), with its files.</summary>
    /// <summary>The library over this database and its folders, on a clock stopped at <see cref="Now"/>, without retries.</summary>
    public ServiceProvider Services(Action<SqliteJobStoreOptions>? sqlite = null, Action<JobCleanupOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new TestClock(Now));
        services.AddJobCleanup(o =>
            {
                o.AddRoot("uploads", Uploads).AddRoot("results", Results);
                o.ResiliencePipeline = ResiliencePipeline.Empty;
                configure?.Invoke(o);
            })
            .UseSqliteStore(o =>
            {
                o.DatabasePath = DatabasePath;
                sqlite?.Invoke(o);
            });
        return services.BuildServiceProvider();
    }

    public void AddJob(string id, string status, TimeSpan age, int inputBytes = 250, int outputBytes = 1000, double? sizeMb = null)
    {
        var completed = status is "completed" or "failed" ? (Now - age).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture) : null;
        var started = (Now - age - TimeSpan.FromHours(1)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        Execute(
            "INSERT INTO jobs (id, status, job_type, created_at, started_at, completed_at, data_size_mb) VALUES (@id, @status, 'eemt', @started, @started, @completed, @mb)",
            ("@id", id), ("@status", status), ("@started", started), ("@completed", (object?)completed ?? DBNull.Value), ("@mb", (object?)sizeMb ?? DBNull.Value));
        File.WriteAllBytes(Path.Combine(Uploads, $"{id}_dem.tif"), new byte[inputBytes]);
        Directory.CreateDirectory(Path.Combine(Results, id, "sub"));
        File.WriteAllBytes(Path.Combine(Results, id, "out.tif"), new byte[outputBytes]);
        File.WriteAllBytes(Path.Combine(Results, id, "sub", "part.tif"), new byte[10]);
    }

    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    public List<object?[]> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public object? Scalar(string sql, params (string Name, object Value)[] parameters) => Query(sql, parameters).FirstOrDefault()?[0];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
