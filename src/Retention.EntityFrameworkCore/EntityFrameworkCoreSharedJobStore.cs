using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Mapping;
using Retention.EntityFrameworkCore.Queries;
using Retention.Stores;

namespace Retention.EntityFrameworkCore;

/// <summary>
/// The Entity Framework Core store for several replicas over one database: each run claims the jobs it streams, skips
/// jobs another run holds, confirms its claims (renewing them) before deleting a job's files, and releases them at the
/// end, so every due job is cleaned once. Claims are <c>RetentionJobClaim</c> rows; SQLite and PostgreSQL only.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
/// <typeparam name="TJob">The host's job entity.</typeparam>
public sealed class EntityFrameworkCoreSharedJobStore<TContext, TJob> : EntityFrameworkCoreJobStore<TContext, TJob>, IJobClaimStore
    where TContext : DbContext
    where TJob : class
{
    private readonly TimeSpan _claimTimeout;

    /// <summary>Creates the store. The map and the claim timeout are checked now; the context's model and provider at first use.</summary>
    /// <param name="services">The host's services, as for <see cref="EntityFrameworkCoreJobStore{TContext, TJob}"/>.</param>
    /// <param name="map">Maps the job entity's members.</param>
    /// <param name="claimTimeout">How long a claim holds unless renewed; at least 10 seconds.</param>
    /// <exception cref="RetentionConfigurationException">The map is not usable, or the timeout is under 10 seconds.</exception>
    public EntityFrameworkCoreSharedJobStore(IServiceProvider services, Action<EntityFrameworkCoreJobMap<TJob>> map, TimeSpan claimTimeout)
        : base(services, map)
    {
        _claimTimeout = claimTimeout >= TimeSpan.FromSeconds(10)
            ? claimTimeout
            : throw new RetentionConfigurationException($"ClaimTimeout: must be at least 10 seconds (was {claimTimeout}).");
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlySet<string>> ConfirmClaimsAsync(string owner, IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        var held = await JobClaims.RenewAsync(lease.Context, owner, jobs.Select(j => j.Id).ToArray(), _claimTimeout, cancellationToken).ConfigureAwait(false);
        var unchanged = await Queries.UnchangedAsync(lease.Context, jobs.Where(j => held.Contains(j.Id)).ToArray(), cancellationToken).ConfigureAwait(false);
        return unchanged.ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseJobClaimsAsync(string owner, IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        await JobClaims.ReleaseAsync(lease.Context, owner, jobIds, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseClaimsAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        await JobClaims.ReleaseAsync(lease.Context, owner, null, cancellationToken).ConfigureAwait(false);
    }

    private protected override async Task<List<JobRecord>> ClaimAsync(TContext context, string owner, List<JobRecord> page, CancellationToken cancellationToken)
    {
        if (!JobClaims.Supported(context))
        {
            throw new RetentionConfigurationException($"SharedByReplicas: claims need SQLite or PostgreSQL; {typeof(TContext).Name} uses {context.Database.ProviderName}. Run the cleanup on one replica instead.");
        }

        var held = await JobClaims.ClaimAsync(context, owner, page.ConvertAll(j => j.Id), _claimTimeout, cancellationToken).ConfigureAwait(false);
        return page.FindAll(j => held.Contains(j.Id));
    }
}
