using Retention.PostgreSql;

namespace Retention.Cli.Tests;

/// <summary>The tool against PostgreSQL (<c>--postgres</c>), as a Kubernetes CronJob runs it: clean, then stats.</summary>
public sealed class PostgresCommandTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly Installation _install = new();

    [PostgresFact]
    public async Task Clean_and_stats_work_on_a_PostgreSQL_store_as_on_the_SQLite_file()
    {
        await using (var store = new PostgresJobStore(new PostgresJobStoreOptions { ConnectionString = database.ConnectionString }))
        {
            await store.UpsertAsync([
                Job("job-old", JobStatus.Succeeded, TimeSpan.FromDays(8)),
                Job("job-failed", JobStatus.Failed, TimeSpan.FromDays(1)),
                Job("job-new", JobStatus.Succeeded, TimeSpan.FromDays(1)),
                Job("job-running", JobStatus.Running, TimeSpan.FromDays(3))]);
        }

        var preview = await _install.Run("clean", "--postgres", database.ConnectionString, "--dry-run");
        var clean = await _install.Run("clean", "--postgres", database.ConnectionString);
        _install.Environment["JobCleanup__PostgreSql__ConnectionString"] = database.ConnectionString;
        var stats = await _install.Run("stats");

        Assert.Equal(0, preview.Exit);
        Assert.Contains("[DRY RUN] Summary: Would clean 2 jobs", preview.Out, StringComparison.Ordinal);
        Assert.Equal(0, clean.Exit);
        Assert.Contains("Cleanup completed successfully", clean.Out, StringComparison.Ordinal);
        Assert.False(_install.Exists("results/job-old"));
        Assert.False(_install.Exists("uploads/job-failed_dem.tif"));
        Assert.True(_install.Exists("results/job-new"));
        Assert.True(_install.Exists("results/job-running"));
        Assert.Equal(0, stats.Exit);
        Assert.Contains("Jobs cleaned: 2", stats.Out, StringComparison.Ordinal);
        Assert.Contains("completed: 1 job,", stats.Out, StringComparison.Ordinal);
        Assert.Contains("running: 1 job,", stats.Out, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_server_that_refuses_the_connection_is_a_usage_error_naming_the_flag_and_changes_nothing()
    {
        _install.Job("job-old", "completed", TimeSpan.FromDays(8));

        var run = await _install.Run("clean", "--postgres", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2");
        var both = await _install.Run("clean", "--postgres", database.ConnectionString, "--db-path", _install.Db);
        var refused = await _install.Run("clean", "--postgres", new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "wrong" }.ConnectionString);

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("error: --postgres: cannot reach the PostgreSQL server", run.Error, StringComparison.Ordinal);
        Assert.Equal(2, both.Exit);
        Assert.Contains("give one database", both.Error, StringComparison.Ordinal);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--postgres: the PostgreSQL server refused: password authentication failed for user", refused.Error, StringComparison.Ordinal);
        Assert.True(_install.Exists("results/job-old"));
    }

    [PostgresFact]
    public async Task A_server_that_keeps_turning_the_session_away_at_start_up_is_named_as_such_with_exit_code_1_not_as_unreachable()
    {
        _install.Job("job-old", "completed", TimeSpan.FromDays(8));
        var full = await PostgresServer.CreateDatabaseAsync();
        try
        {
            // The server answers, but takes no more sessions on this database (53300), as a full server would, at every attempt.
            await database.ExecuteAsync($"ALTER DATABASE \"{new Npgsql.NpgsqlConnectionStringBuilder(full).Database}\" CONNECTION LIMIT 0");

            var run = await _install.Run("clean", "--postgres", full);

            Assert.Equal(1, run.Exit);
            Assert.StartsWith("error: --postgres: the PostgreSQL server has too many connections (53300: ", run.Error, StringComparison.Ordinal);
            Assert.Contains("at each of 4 attempts", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot reach", run.Error, StringComparison.Ordinal);
            Assert.True(_install.Exists("results/job-old"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(full);
        }
    }

    private JobRecord Job(string id, JobStatus status, TimeSpan age)
    {
        _install.Job(id, "pending", age);
        var finished = Installation.Now - age;
        return new JobRecord(id, status) { JobType = "eemt", CreatedAt = finished, StartedAt = finished, CompletedAt = status.IsActive() ? null : finished };
    }

    public void Dispose() => _install.Dispose();
}
