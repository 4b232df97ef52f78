using Retention.Cleanup;

namespace Retention.Hosting;

/// <summary>Starts a cleanup on demand, in the background of the host, so the caller (an endpoint, an admin command) need not wait for it.</summary>
public interface ICleanupTrigger
{
    /// <summary>
    /// Starts a run unless one is in progress, in which case it says so and returns the running run's progress.
    /// The run stops with the host, not with the caller.
    /// </summary>
    /// <param name="request">The run's request; its <see cref="CleanupRequest.Trigger"/> defaults to <see cref="CleanupTriggers.OnDemand"/>.</param>
    /// <returns>Whether it started, and how to await it.</returns>
    CleanupTriggerResult Trigger(CleanupRequest? request = null);
}
