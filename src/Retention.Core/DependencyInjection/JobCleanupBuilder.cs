namespace Microsoft.Extensions.DependencyInjection;

internal sealed class JobCleanupBuilder(IServiceCollection services) : IJobCleanupBuilder
{
    public IServiceCollection Services { get; } = services;
}
