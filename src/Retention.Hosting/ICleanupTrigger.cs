using Retention.Cleanup;

namespace Retention.Hosting;

/// <summary>
/// Starts a cleanup on demand in the background of the host, so the caller (an endpoint, an admin command) need not wait for
/// it. The run belongs to the host: it is cancelled between jobs when the host stops, and the host's stop waits for it to
/// record itself.
/// </summary>
public interface ICleanupTrigger
{
    /// <summary>Starts a run unless one is in progress, whoever started it; then it says so and returns that run's progress.</summary>
    /// <param name="request">The run's request; <see langword="null"/> for a real run with trigger <see cref="CleanupTriggers.OnDemand"/>.</param>
    /// <returns>Whether it started, and how to await it.</returns>
    CleanupStart Trigger(CleanupRequest? request = null);

    /// <summary>
    /// Asks a run this trigger started to stop: it stops between jobs, records every job finished by then, and reports
    /// <see cref="CleanupOutcome.Cancelled"/>. Runs started otherwise (the schedule, another process) are not this trigger's to stop.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <returns><see langword="true"/> when the run is in progress here and was asked to stop; <see langword="false"/> otherwise.</returns>
    bool Cancel(string runId) => false;
}
