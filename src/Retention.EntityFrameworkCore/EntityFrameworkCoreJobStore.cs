using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Mapping;
using Retention.EntityFrameworkCore.Model;
using Retention.EntityFrameworkCore.Queries;
using Retention.Stores;

namespace Retention.EntityFrameworkCore;

/// <summary>
/// A job store over the host's own Entity Framework Core model: the host's job entity, mapped by
/// <see cref="EntityFrameworkCoreJobMap{TJob}"/>, and the cleanup's own entities that <c>modelBuilder.AddRetention()</c>
/// adds. Candidates are read in keyset pages without tracking, each page and each batch on a short-lived context; marks,
/// purges and the reaper's compare-and-set are one set-based statement per batch whose <c>WHERE</c> checks the status
/// (and the row version, where one is mapped). No SQL of the host's: the provider writes it.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
/// <typeparam name="TJob">The host's job entity.</typeparam>
public partial class EntityFrameworkCoreJobStore<TContext, TJob> : IJobStore, IJobPurgeStore, IStaleJobStore, ICleanupRunStore, IJobLookupStore, IReferencedPathStore, IStorageUsageStore, ICleanupCandidateCounter, IRecordTrimStore, IDisposable
    where TContext : DbContext
    where TJob : class
{
    private const int IdPageSize = 5000;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates the store. The map is checked now; the context's model at first use.</summary>
    /// <param name="services">
    /// The host's services: an <see cref="IDbContextFactory{TContext}"/> when registered (<c>AddDbContextFactory</c>), else
    /// <typeparamref name="TContext"/> itself (<c>AddDbContext</c>), resolved in a scope of its own per batch.
    /// </param>
    /// <param name="map">Maps the job entity's members: <c>map => map.Id(j => j.Id).Status(j => j.State).StartedAt(...)...</c>.</param>
    /// <exception cref="RetentionConfigurationException">A member is missing, is not a plain property, or has a type the store cannot use; the message names it.</exception>
    public EntityFrameworkCoreJobStore(IServiceProvider services, Action<EntityFrameworkCoreJobMap<TJob>> map)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(map);
        var jobMap = new EntityFrameworkCoreJobMap<TJob>();
        map(jobMap);
        Queries = JobMapping.Build(jobMap);
        Contexts = new ContextSource<TContext>(services);
    }

    private protected ContextSource<TContext> Contexts { get; }

    private protected IJobQueries<TJob> Queries { get; }

    /// <summary>
    /// Checks, once, that the context's model has the job entity with every mapped member as a property, and the cleanup's
    /// own entities (<c>modelBuilder.AddRetention()</c>). Every other method does this first.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="RetentionConfigurationException">The model lacks the entity, a mapped member, or the cleanup's entities; the message names each.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
            var errors = new List<string>();
            Queries.CheckModel(lease.Context, errors);
            foreach (var own in new[] { typeof(RetentionCleanupRun), typeof(RetentionJobArtifact), typeof(RetentionJobClaim) })
            {
                if (lease.Context.Model.FindEntityType(own) is null)
                {
                    errors.Add($"{own.Name} is not in {typeof(TContext).Name}'s model: call modelBuilder.AddRetention() in its OnModelCreating (and add a migration), so the cleanup's run history, artifacts and claims have their tables.");
                }
            }

            if (errors.Count > 0)
            {
                throw new RetentionConfigurationException($"The Entity Framework Core store cannot use {typeof(TContext).Name}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
            }

            _initialized = true;
        }
        finally
        {
            _initializeGate.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);

        // Pages of at least 1,000 rows whatever the engine's batch, as the hand-written stores read: a page costs a context
        // and two queries. Keyset pages in key order, so jobs marked meanwhile cannot shift a page.
        var pageSize = Math.Clamp(Math.Max(query.BatchSize, 1000), 1, 10_000);
        object? after = null;
        while (true)
        {
            List<JobRecord> page;
            int read;
            await using (var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                (page, after) = await Queries.CandidatePageAsync(lease.Context, query, after, pageSize, cancellationToken).ConfigureAwait(false);
                read = page.Count;
                if (query.ClaimOwner is { } owner && page.Count > 0)
                {
                    page = await ClaimAsync(lease.Context, owner, page, cancellationToken).ConfigureAwait(false);
                }

                page = await WithArtifactsAsync(lease.Context, page, cancellationToken).ConfigureAwait(false);
            }

            foreach (var job in page)
            {
                yield return job;
            }

            if (read < pageSize || after is null)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public async Task<long> CountCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await Queries.CountCandidatesAsync(lease.Context, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the start-up check's lock; the contexts are the host's and each is disposed after its batch.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the start-up check's lock.</summary>
    /// <param name="disposing">Whether <see cref="Dispose()"/> was called (not a finalizer).</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _initializeGate.Dispose();
        }
    }

    // The jobs of a candidate page the run may take: all of them, unless replicas share the store and claim what they stream.
    private protected virtual Task<List<JobRecord>> ClaimAsync(TContext context, string owner, List<JobRecord> page, CancellationToken cancellationToken) =>
        Task.FromResult(page);

    // The recorded artifacts of a page's jobs, in one query.
    private static async Task<List<JobRecord>> WithArtifactsAsync(TContext context, List<JobRecord> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return jobs;
        }

        var ids = jobs.Select(j => j.Id).ToArray();
        var rows = await context.Set<RetentionJobArtifact>().AsNoTracking()
#if NET10_0_OR_GREATER
            .Where(a => EF.Parameter(ids).Contains(a.JobId)) // one parameter, not one per id (see QueryParameter.OfList)
#else
            .Where(a => ids.Contains(a.JobId))
#endif
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return jobs;
        }

        var byJob = rows.ToLookup(a => a.JobId, a => new JobArtifact(new ArtifactKind(a.Kind), a.Path, a.SizeBytes), StringComparer.Ordinal);
        return jobs.ConvertAll(j => byJob.Contains(j.Id) ? j with { Artifacts = byJob[j.Id].ToArray() } : j);
    }
}
