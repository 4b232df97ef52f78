namespace Retention;

/// <summary>Parsing and classification of <see cref="JobStatus"/> values, including common status words.</summary>
public static class JobStatusNames
{
    private static readonly Dictionary<string, JobStatus> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pending"] = JobStatus.Pending,
        ["queued"] = JobStatus.Pending,
        ["scheduled"] = JobStatus.Scheduled,
        ["running"] = JobStatus.Running,
        ["succeeded"] = JobStatus.Succeeded,
        ["success"] = JobStatus.Succeeded,
        ["successful"] = JobStatus.Succeeded,
        ["completed"] = JobStatus.Succeeded,
        ["complete"] = JobStatus.Succeeded,
        ["failed"] = JobStatus.Failed,
        ["error"] = JobStatus.Failed,
        ["cancelled"] = JobStatus.Cancelled,
        ["canceled"] = JobStatus.Cancelled,
    };

    /// <summary>The accepted names, for error messages.</summary>
    public static string Accepted => "Pending, Scheduled, Running, Succeeded (or completed), Failed, Cancelled";

    /// <summary>Parses a status name case-insensitively; accepts the enum names and common words (<c>completed</c>, <c>successful</c>, <c>canceled</c>).</summary>
    /// <param name="name">The name to parse.</param>
    /// <param name="status">The parsed status.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParse(string? name, out JobStatus status)
    {
        if (name is not null && Aliases.TryGetValue(name.Trim(), out status))
        {
            return true;
        }

        status = default;
        return false;
    }

    /// <summary>Whether the status means the job may still be working: pending, scheduled or running. Active jobs are never cleaned.</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for pending, scheduled and running.</returns>
    public static bool IsActive(this JobStatus status) => status is JobStatus.Pending or JobStatus.Scheduled or JobStatus.Running;

    /// <summary>The lower-case word used in logs and reports (<c>succeeded</c>, <c>failed</c>, ...).</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public static string ToWord(this JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Scheduled => "scheduled",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => status.ToString().ToLowerInvariant(),
    };
}
