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
        where TJob : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(map);

        // Checked now, so a map that names no status or a member of the wrong type stops the host at start-up.
        var check = new EntityFrameworkCoreJobMap<TJob>();
        map(check);
        JobMapping.Build(check);
        return builder.UseStore(sp => new EntityFrameworkCoreJobStore<TContext, TJob>(sp, map));
    }
}
