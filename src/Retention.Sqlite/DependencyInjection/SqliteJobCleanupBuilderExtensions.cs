using Retention.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the embedded SQLite store into <see cref="IJobCleanupBuilder"/>.</summary>
public static class SqliteJobCleanupBuilderExtensions
{
    /// <summary>Uses a <see cref="SqliteJobStore"/> for every store capability.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Where the database is and how its jobs table is laid out.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder UseSqliteStore(this IJobCleanupBuilder builder, Action<SqliteJobStoreOptions>? configure = null)
    {
        var options = new SqliteJobStoreOptions();
        configure?.Invoke(options);
        return builder.UseStore(_ => new SqliteJobStore(options));
    }
}
