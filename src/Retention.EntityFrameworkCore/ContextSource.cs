using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Retention.EntityFrameworkCore;

/// <summary>
/// Short-lived contexts, one per page or batch: from the host's <see cref="IDbContextFactory{TContext}"/> when it registered
/// one, else from a new service scope (the <c>AddDbContext</c> registration), so no context outlives its work or is shared.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class ContextSource<TContext>(IServiceProvider services)
    where TContext : DbContext
{
    private readonly IDbContextFactory<TContext>? _factory = services.GetService<IDbContextFactory<TContext>>();

    public async Task<Lease> OpenAsync(CancellationToken cancellationToken)
    {
        if (_factory is not null)
        {
            return new Lease(await _factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false), null);
        }

        var scope = services.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<TContext>() is { } context)
        {
            return new Lease(context, scope);
        }

        await scope.DisposeAsync().ConfigureAwait(false);
        throw new RetentionConfigurationException($"{typeof(TContext).Name} is not registered: call services.AddDbContext<{typeof(TContext).Name}>(...) or AddDbContextFactory<{typeof(TContext).Name}>(...) before the cleanup runs.");
    }

    /// <summary>A context and the scope it came from, if any; disposing it disposes both.</summary>
    public sealed class Lease(TContext context, AsyncServiceScope? scope) : IAsyncDisposable
    {
        public TContext Context { get; } = context;

        public async ValueTask DisposeAsync()
        {
            if (scope is { } owned)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await Context.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
