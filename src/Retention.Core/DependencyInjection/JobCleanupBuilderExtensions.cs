using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retention;
using Retention.Policies;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs stores and settings into <see cref="IJobCleanupBuilder"/>.</summary>
public static class JobCleanupBuilderExtensions
{
    private static readonly Type[] Capabilities = [typeof(IJobStore), typeof(IJobPurgeStore), typeof(IStaleJobStore), typeof(ICleanupRunStore), typeof(IJobLookupStore), typeof(IReferencedPathStore), typeof(IStorageUsageStore), typeof(IArtifactUsageStore), typeof(ICleanupCandidateCounter), typeof(IJobClaimStore), typeof(IBulkStaleJobStore), typeof(IStatusWordStore), typeof(IJobHoldStore), typeof(IRecordTrimStore)];

    /// <summary>Uses a new <see cref="InMemoryJobStore"/> (tests, samples, hosts whose jobs live in memory).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder UseInMemoryStore(this IJobCleanupBuilder builder) => builder.UseStore<InMemoryJobStore>();

    /// <summary>Uses the given <see cref="InMemoryJobStore"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder UseInMemoryStore(this IJobCleanupBuilder builder, InMemoryJobStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return builder.UseStore(_ => store);
    }

    /// <summary>
    /// Uses <typeparamref name="TStore"/>, a singleton the container creates, for every store capability it implements
    /// (<see cref="IJobStore"/>, <see cref="IJobPurgeStore"/>, <see cref="IStaleJobStore"/>, <see cref="ICleanupRunStore"/>, <see cref="IJobLookupStore"/>, <see cref="IReferencedPathStore"/>, <see cref="IStorageUsageStore"/>, <see cref="IArtifactUsageStore"/>, <see cref="ICleanupCandidateCounter"/>, <see cref="IJobClaimStore"/>, <see cref="IBulkStaleJobStore"/>, <see cref="IStatusWordStore"/>, <see cref="IJobHoldStore"/>, <see cref="IRecordTrimStore"/>). A later store replaces an earlier one.
    /// </summary>
    /// <typeparam name="TStore">The host's store.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder UseStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IJobCleanupBuilder builder)
        where TStore : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (typeof(TStore).IsInterface || typeof(TStore).IsAbstract)
        {
            throw new ArgumentException($"{typeof(TStore).Name} is not a concrete type; pass a factory: UseStore(sp => new MyStore(...)).", nameof(TStore));
        }

        return Register<TStore>(builder, ServiceDescriptor.Singleton<TStore, TStore>());
    }

    /// <summary>Uses the <typeparamref name="TStore"/> that <paramref name="factory"/> creates, for every store capability it implements.</summary>
    /// <typeparam name="TStore">The host's store.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store once.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder UseStore<TStore>(this IJobCleanupBuilder builder, Func<IServiceProvider, TStore> factory)
        where TStore : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        return Register<TStore>(builder, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>Configures the options in code (after configuration binding).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder Configure(this IJobCleanupBuilder builder, Action<JobCleanupOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Uses a policy built in code, in place of configured rules.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="policy">The policy.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder UsePolicy(this IJobCleanupBuilder builder, RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return builder.Configure(o => o.Policy = policy);
    }

    private static IJobCleanupBuilder Register<TStore>(IJobCleanupBuilder builder, ServiceDescriptor store)
        where TStore : class
    {
        var implemented = Capabilities.Where(c => c.IsAssignableFrom(typeof(TStore))).ToArray();
        if (implemented.Length == 0)
        {
            throw new ArgumentException($"{typeof(TStore).Name} implements no store capability; implement {nameof(IJobStore)} (and optionally {nameof(IJobPurgeStore)}, {nameof(IStaleJobStore)}).", nameof(TStore));
        }

        // Replace rather than add: the new store takes over every capability, and one it lacks is not left to an earlier store.
        foreach (var capability in Capabilities)
        {
            builder.Services.RemoveAll(capability);
        }

        builder.Services.RemoveAll<TStore>();
        builder.Services.Add(store);
        foreach (var capability in implemented.Where(c => c != typeof(TStore)))
        {
            builder.Services.AddSingleton(capability, sp => sp.GetRequiredService<TStore>());
        }

        return builder;
    }
}
