using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Retention.Hosting;

/// <summary>
/// Validates every option group before the library's other hosted services are built. Their constructors read options,
/// and the host builds its hosted services before its own start-up validation runs, so without this the first group
/// read would fail alone; registered first, this reports every group's problems together.
/// </summary>
internal sealed class StartupValidation : IHostedService
{
    public StartupValidation(IServiceProvider services) => services.GetService<IStartupValidator>()?.Validate();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
