namespace Retention.Reaping;

/// <summary>Which kind of stale-job sweep ran.</summary>
public enum ReapMode
{
    /// <summary>At run time: active jobs past the execution timeout plus the buffer.</summary>
    Runtime,

    /// <summary>At start-up: every job a previous process left running or scheduled, whatever its age.</summary>
    Startup,
}
