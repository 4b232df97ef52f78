using Microsoft.Extensions.DependencyInjection;
using Retention.Cli.Settings;
using Retention.Sqlite;

namespace Retention.Cli;

/// <summary>One command's settings, services and open store.</summary>
internal sealed record CliSession(CliSettings Settings, ServiceProvider Services, SqliteJobStore Store) : IAsyncDisposable
{
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
