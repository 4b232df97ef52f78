using Microsoft.Extensions.DependencyInjection;
using Retention.Cli.Settings;
using Retention.PostgreSql;
using Retention.Sqlite;

namespace Retention.Cli;

/// <summary>One command's settings, services and open store.</summary>
internal sealed record CliSession(CliSettings Settings, ServiceProvider Services, object Store) : IAsyncDisposable
{
    /// <summary>The monitoring query "jobs cleaned since", on whichever store is open.</summary>
    public Task<(long Jobs, double Megabytes)> GetCleanedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) => Store switch
    {
        SqliteJobStore sqlite => sqlite.GetCleanedSinceAsync(since, cancellationToken),
        PostgresJobStore postgres => postgres.GetCleanedSinceAsync(since, cancellationToken),
        _ => throw new InvalidOperationException($"Unknown store {Store.GetType().Name}."),
    };

    /// <summary>Where the open store's status words are mapped, for messages.</summary>
    public string StatusNamesKey => Get<Retention.Stores.IStatusWordStore>().StatusNamesKey; // both of the tool's stores find unmapped words

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
