using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Retention.Cleanup;

namespace Retention.PostgreSql.Tests;

/// <summary>Errors a retry resolves are reported as transient, and the engine's pipeline retries them on a new connection.</summary>
public sealed class TransientErrorTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [PostgresFact]
    public async Task A_run_whose_pooled_connections_were_killed_retries_on_new_ones_and_completes()
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        var application = "retention-transient-" + Guid.NewGuid().ToString("N")[..8];
        using var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddJobCleanup(o => o.AddRoot("uploads", tree.Dir("uploads")).AddRoot("results", tree.Dir("results")))
            .UsePostgresStore(p =>
            {
                p.ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = application, MaxPoolSize = 1 }.ConnectionString;
                p.Schema = "t_" + Guid.NewGuid().ToString("N")[..10];
            });
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<PostgresJobStore>();
        await store.UpsertAsync(Enumerable.Range(0, 20).Select(i => JobLayout.Job(tree, $"job-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8), now, 10, 10)));

        // The store's one pooled session is ended by the server (a failover, an administrator): the next statement on it fails.
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @app) killed", ("app", application)));
        var report = await provider.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.Completed, null, 20L), (report.Outcome, report.Error, report.Stats.JobsCleaned));
        Assert.Contains(logs.Entries, e => e.Event.Name == "Retrying" && e.Message.Contains("57P01", StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task A_serialization_failure_is_transient_and_a_constraint_violation_is_not()
    {
        await using var a = new NpgsqlConnection(database.ConnectionString);
        await using var b = new NpgsqlConnection(database.ConnectionString);
        await a.OpenAsync();
        await b.OpenAsync();
        var table = "counter_" + Guid.NewGuid().ToString("N")[..8];
        await database.ExecuteAsync($"CREATE TABLE {table} (id int PRIMARY KEY, n int); INSERT INTO {table} VALUES (1, 0)");

        // Two serializable transactions update the same row: the second to commit fails with 40001.
        await using var ta = await a.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        await using var tb = await b.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        await new NpgsqlCommand($"SELECT n FROM {table}", a, ta).ExecuteScalarAsync();
        await new NpgsqlCommand($"SELECT n FROM {table}", b, tb).ExecuteScalarAsync();
        await new NpgsqlCommand($"UPDATE {table} SET n = n + 1", a, ta).ExecuteNonQueryAsync();
        await ta.CommitAsync();
        var conflict = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand($"UPDATE {table} SET n = n + 1", b, tb).ExecuteNonQueryAsync());
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($"INSERT INTO {table} VALUES (1, 0)"));

        Assert.Equal(PostgresErrorCodes.SerializationFailure, conflict.SqlState);
        Assert.True(PostgresErrors.IsTransient(conflict));
        Assert.False(PostgresErrors.IsTransient(duplicate));
        var translated = await Assert.ThrowsAsync<TransientRetentionException>(() => PostgresErrors.GuardAsync(() => Task.FromException(conflict)));
        Assert.Same(conflict, translated.InnerException);
    }
}
