namespace Retention.EntityFrameworkCore.Tests;

/// <summary>The providers a test runs on: SQLite always, PostgreSQL where its server answers (always under CI, where a missing server fails).</summary>
public static class Providers
{
    public static TheoryData<Provider> Available() => PostgresServer.SkipReason is null ? new() { Provider.Sqlite, Provider.Postgres } : new() { Provider.Sqlite };
}
