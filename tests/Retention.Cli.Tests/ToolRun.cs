using Microsoft.Data.Sqlite;

namespace Retention.Cli.Tests;

/// <summary>A temporary installation in the seed's layout, and the tool run in-process against it.</summary>
internal sealed class Installation : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    public Installation()
    {
        Root = Path.Combine(Path.GetTempPath(), "retention-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "uploads"));
        Directory.CreateDirectory(Path.Combine(Root, "results"));
        Sql("CREATE TABLE jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, job_type TEXT, created_at TEXT NOT NULL, started_at TEXT, completed_at TEXT, error_message TEXT, data_cleaned_at TEXT, data_size_mb REAL)");
    }

    public string Root { get; }

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public string Db => Path.Combine(Root, "jobs.db");

    public void Job(string id, string status, TimeSpan age, int outputBytes = 1000)
    {
        var finished = (Now - age).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        var completed = status is "completed" or "failed" or "cancelled" ? finished : null;
        Sql("INSERT INTO jobs (id, status, job_type, created_at, started_at, completed_at) VALUES (@id, @s, 'eemt', @t, @t, @c)", ("@id", id), ("@s", status), ("@t", finished), ("@c", (object?)completed ?? DBNull.Value));
        File.WriteAllBytes(Path.Combine(Root, "uploads", $"{id}_dem.tif"), new byte[250]);
        Directory.CreateDirectory(Path.Combine(Root, "results", id));
        File.WriteAllBytes(Path.Combine(Root, "results", id, "out.tif"), new byte[outputBytes]);
    }

    public bool Exists(string relative) => File.Exists(Path.Combine(Root, relative)) || Directory.Exists(Path.Combine(Root, relative));

    public Task<(int Exit, string Out, string Error)> Run(params string[] args) => Run(new StringWriter(), new TestClock(Now), args);

    /// <summary>The tool run with its output going to <paramref name="output"/> (a test may act on a line) and its clock <paramref name="clock"/>.</summary>
    public async Task<(int Exit, string Out, string Error)> Run(TextWriter output, TimeProvider clock, params string[] args)
    {
        var error = new StringWriter();
        var context = new CliContext(output, error, Root, Environment, IsTerminal: false, clock);
        var exit = await Cli.RunAsync(args, context);
        SqliteConnection.ClearAllPools();
        return (exit, output.ToString()!, error.ToString());
    }

    public int Sql(string sql, params (string, object)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Every file, the database and any -wal or -shm beside it included, with its bytes.</summary>
    public Dictionary<string, byte[]> Snapshot() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    public static void AssertSame(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after)
    {
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
    }

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
