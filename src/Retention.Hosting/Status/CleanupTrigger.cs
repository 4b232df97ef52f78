using Microsoft.Extensions.Hosting;
using Retention.Cleanup;

namespace Retention.Hosting;

/// <summary>The default <see cref="ICleanupTrigger"/>: one run at a time, tied to the host's lifetime.</summary>
internal sealed class CleanupTrigger(IJobCleaner cleaner, ICleanupStatus status, IHostApplicationLifetime? lifetime = null) : ICleanupTrigger
{
    private int _starting;

    public CleanupTriggerResult Trigger(CleanupRequest? request = null)
    {
        request ??= new CleanupRequest { Trigger = CleanupTriggers.OnDemand };
        if (status.GetSnapshot().CurrentRun is { } running)
        {
            return new CleanupTriggerResult(false, null, running);
        }

        // Two triggers at the same instant: one starts; the engine's own single-run guard covers runs started elsewhere.
        if (Interlocked.Exchange(ref _starting, 1) == 1)
        {
            return new CleanupTriggerResult(false, null, status.GetSnapshot().CurrentRun);
        }

        try
        {
            var stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
            var completion = Task.Run(() => cleaner.RunAsync(request, null, stopping), CancellationToken.None);
            SpinUntilStartedOrDone(completion);
            return new CleanupTriggerResult(true, completion, null);
        }
        finally
        {
            Interlocked.Exchange(ref _starting, 0);
        }
    }

    // Holds the gate until the engine has registered the run, so a second trigger sees it as running.
    private void SpinUntilStartedOrDone(Task completion)
    {
        var wait = new SpinWait();
        while (!completion.IsCompleted && !status.GetSnapshot().IsRunning)
        {
            wait.SpinOnce();
        }
    }
}
