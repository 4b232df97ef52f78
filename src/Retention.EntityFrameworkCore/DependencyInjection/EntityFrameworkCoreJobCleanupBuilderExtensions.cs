using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Mapping;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the Entity Framework Core store into <see cref="IJobCleanupBuilder"/>.</summary>
public static class EntityFrameworkCoreJobCleanupBuilderExtensions
{
    /// <summary>
    /// Uses the host's own <typeparamref name="TContext"/> and its <typeparamref name="TJob"/> entity as the store, for every
    /// capability it has. Register the context as usual (<c>AddDbContext</c> or <c>AddDbContextFactory</c>) and call
    /// <c>modelBuilder.AddRetention()</c> in its <c>OnModelCreating</c>.
    /// </summary>
    /// <typeparam name="TContext">The host's context.</typeparam>
    /// <typeparam name="TJob">The host's job entity.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="map">Maps the entity's members: <c>map => map.Id(j => j.Id).Status(j => j.State, s => s.Succeeded("done"))...</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Retention.RetentionConfigurationException">The map is not usable; the message names each member at fault.</exception>
    public static IJobCleanupBuilder UseEntityFrameworkCoreStore<TContext, TJob>(this IJobCleanupBuilder builder, Action<EntityFrameworkCoreJobMap<TJob>> map)
        where TContext : DbContext
        where TJob : class =>
        builder.UseEntityFrameworkCoreStore<TContext, TJob>(map, _ => { });

    /// <summary>
    /// Uses the host's own <typeparamref name="TContext"/> and its <typeparamref name="TJob"/> entity as the store, as
    /// <see cref="UseEntityFrameworkCoreStore{TContext, TJob}(IJobCleanupBuilder, Action{EntityFrameworkCoreJobMap{TJob}})"/>,
    /// with options: <see cref="EntityFrameworkCoreStoreOptions.SharedByReplicas"/> for several replicas over one database.
    /// </summary>
    /// <typeparam name="TContext">The host's context.</typeparam>
    /// <typeparam name="TJob">The host's job entity.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="map">Maps the entity's members.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Retention.RetentionConfigurationException">The map or an option is not usable; the message names each.</exception>
    public static IJobCleanupBuilder UseEntityFrameworkCoreStore<TContext, TJob>(this IJobCleanupBuilder builder, Action<EntityFrameworkCoreJobMap<TJob>> map, Action<EntityFrameworkCoreStoreOptions> configure)
        where TContext : DbContext
        where TJob : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new EntityFrameworkCoreStoreOptions();
        configure(options);

        // Checked now, so a map that names no status or a member of the wrong type stops the host at start-up.
        var check = new EntityFrameworkCoreJobMap<TJob>();
        map(check);
        JobMapping.Build(check);
        if (options.SharedByReplicas && options.ClaimTimeout < TimeSpan.FromSeconds(10))
        {
            throw new Retention.RetentionConfigurationException($"ClaimTimeout: must be at least 10 seconds (was {options.ClaimTimeout}).");
        }

        return options.SharedByReplicas
            ? builder.UseStore(sp => new EntityFrameworkCoreSharedJobStore<TContext, TJob>(sp, map, options.ClaimTimeout))
            : builder.UseStore(sp => new EntityFrameworkCoreJobStore<TContext, TJob>(sp, map));
    }
}
