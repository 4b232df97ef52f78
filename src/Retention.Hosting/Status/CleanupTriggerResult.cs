using Retention.Cleanup;

namespace Retention.Hosting;

/// <summary>What <see cref="ICleanupTrigger.Trigger"/> did.</summary>
/// <param name="Started">Whether a run started.</param>
/// <param name="Completion">When started: completes with the run's report.</param>
/// <param name="Running">When not started: the run in progress.</param>
public sealed record CleanupTriggerResult(bool Started, Task<CleanupReport>? Completion, CleanupRunProgress? Running);
