using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Retention;
using Retention.Coordination;
using Retention.PostgreSql;
using Retention.PostgreSql.Coordination;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the PostgreSQL store and its leader lock into <see cref="IJobCleanupBuilder"/>.</summary>
public static class PostgresJobCleanupBuilderExtensions
{
    /// <summary>Uses a <see cref="PostgresJobStore"/> for every store capability, claims included.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The connection string and how the jobs table is laid out.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="RetentionConfigurationException">An option is invalid (thrown when the store is first resolved).</exception>
    public static IJobCleanupBuilder UsePostgresStore(this IJobCleanupBuilder builder, Action<PostgresJobStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresJobStoreOptions();
        configure(options);
        return builder.UseStore(_ => new PostgresJobStore(options));
    }

    /// <summary>
    /// Registers the PostgreSQL leader lock, so the hosted schedule runs each occurrence on one instance of the fleet.
    /// Call after <see cref="UsePostgresStore"/>; the lock works in the store's database.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The lock's mode and heartbeat.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder UsePostgresLeaderLock(this IJobCleanupBuilder builder, Action<PostgresLeaderLockOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PostgresLeaderLockOptions();
        configure?.Invoke(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new RetentionConfigurationException(string.Join(Environment.NewLine, errors));
        }

        builder.Services.RemoveAll<ICleanupLeaderLock>();
        builder.Services.AddSingleton<ICleanupLeaderLock>(sp =>
        {
            var store = sp.GetService<PostgresJobStore>()
                ?? throw new RetentionConfigurationException("UsePostgresLeaderLock needs the PostgreSQL store: call UsePostgresStore first.");
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logs = sp.GetService<ILoggerFactory>();
            return options.Mode == PostgresLeaderLockMode.LeaseTable
                ? new PostgresLeaseTableLeaderLock(store, options, time, logs?.CreateLogger<PostgresLeaseTableLeaderLock>())
                : new PostgresAdvisoryLeaderLock(store, options, time, logs?.CreateLogger<PostgresAdvisoryLeaderLock>());
        });
        return builder;
    }
}
