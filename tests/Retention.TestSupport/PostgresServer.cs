using Npgsql;
using Retention.PostgreSql;

namespace Retention.TestSupport;


/// <summary>
/// The PostgreSQL server the tests use: <c>RETENTION_TEST_POSTGRES</c>, or a local server with the role <c>retention</c>
/// that <c>.ci/run</c> creates. Probed once; without one the tests are skipped with the reason, except under <c>CI=true</c>,
/// where they run and fail, so CI never passes without them.
/// </summary>
public static class PostgresServer
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=retention;Password=retention;Database=postgres";

    private static readonly Lazy<string?> Unavailable = new(Probe);

    public static string ConnectionString => Environment.GetEnvironmentVariable("RETENTION_TEST_POSTGRES") is { Length: > 0 } value ? value : DefaultConnectionString;

    /// <summary>Why the tests cannot run here; <see langword="null"/> when a server answers, or under CI.</summary>
    public static string? SkipReason =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? null : Unavailable.Value;

    /// <summary>The connection string of a new, empty database on the server.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "retention_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever is still connected to it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static string? Probe()
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return $"RETENTION_TEST_POSTGRES is not a connection string ({ex.Message}).";
        }

        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 3 }.ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"No PostgreSQL server at '{new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }}' ({ex.Message}). Start one (.ci/run shows how) or set RETENTION_TEST_POSTGRES; with CI=true these tests fail instead.";
        }
    }
}

/// <summary>A test that needs the PostgreSQL server: skipped, with the reason, where there is none (never under CI).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}

/// <summary>One fresh database per test class, dropped (with every store made over it) when the class is done.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentBag<PostgresJobStore> _stores = [];

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (PostgresServer.SkipReason is null)
        {
            ConnectionString = await PostgresServer.CreateDatabaseAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (ConnectionString.Length > 0)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }

    /// <summary>A store over a schema of its own in this database, so each test starts empty.</summary>
    public PostgresJobStore NewStore(Action<PostgresJobStoreOptions>? configure = null)
    {
        var options = new PostgresJobStoreOptions { ConnectionString = ConnectionString, Schema = "t_" + Guid.NewGuid().ToString("N")[..10] };
        configure?.Invoke(options);
        var store = new PostgresJobStore(options);
        _stores.Add(store);
        return store;
    }

    /// <summary>A new store, as <see cref="NewStore"/>, holding <paramref name="jobs"/>.</summary>
    public async Task<PostgresJobStore> NewStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        var store = NewStore();
        await store.UpsertAsync(jobs);
        return store;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The jobs of <paramref name="schema"/>, in the <see cref="JobLayout"/> layout, marked cleaned while some of their data
    /// remains in <paramref name="tree"/> (each with what remains): such a job would never be cleaned again, so tests expect none.
    /// </summary>
    public async Task<IReadOnlyList<string>> JobsMarkedWithDataAsync(string schema, TempTree tree)
    {
        var found = new List<string>();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT id FROM \"{schema}\".jobs WHERE data_cleaned_at IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            found.AddRange(new[] { $"uploads/{id}_dem.tif", $"results/{id}" }.Where(p => File.Exists(tree.Path_(p)) || Directory.Exists(tree.Path_(p))).Select(p => $"{id}: {p}"));
        }

        return found;
    }
}
