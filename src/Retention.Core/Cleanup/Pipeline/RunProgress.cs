using Microsoft.Extensions.Logging;
using Retention.Diagnostics;

namespace Retention.Cleanup.Pipeline;

/// <summary>Forwards each progress snapshot to the status and to the caller; a caller's callback that throws is logged, never the run's end.</summary>
internal sealed class RunProgress(CleanupStatusTracker status, IProgress<CleanupProgress>? inner, ILogger logger) : IProgress<CleanupProgress>
{
    public void Report(CleanupProgress value)
    {
        status.Progressed(value);
        try
        {
            inner?.Report(value);
        }
        catch (Exception ex)
        {
            Log.ProgressCallbackFailed(logger, ex, ex.Message);
        }
    }
}
