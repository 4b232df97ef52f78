using Microsoft.Extensions.Options;

namespace WorkerHost;

/// <summary>Stops the host after <see cref="WorkerOptions.RunFor"/>, for scripted demos.</summary>
internal sealed class StopAfter(IOptions<WorkerOptions> options, IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RunFor is { } runFor)
        {
            await Task.Delay(runFor, time, stoppingToken);
            lifetime.StopApplication();
        }
    }
}
