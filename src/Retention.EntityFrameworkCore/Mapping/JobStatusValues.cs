namespace Retention.EntityFrameworkCore.Mapping;

/// <summary>
/// The values the host's status member holds for each <see cref="JobStatus"/> (<c>s.Succeeded("done").Failed("error", "crashed")</c>).
/// A status may have several values: the store reads them all and writes the first. A value belongs to one status only, or
/// a job of one status could be cleaned by another's rule. A value no status has reads as running, so its jobs are never cleaned.
/// </summary>
/// <typeparam name="TStatus">The status member's type: a string, an enum or an integer.</typeparam>
public sealed class JobStatusValues<TStatus>
    where TStatus : notnull
{
    private readonly Dictionary<JobStatus, TStatus[]> _values = [];

    internal JobStatusValues(IEnumerable<KeyValuePair<JobStatus, TStatus[]>> defaults)
    {
        foreach (var (status, values) in defaults)
        {
            _values[status] = values;
        }
    }

    internal IReadOnlyDictionary<JobStatus, TStatus[]> Values => _values;

    /// <summary>The values of jobs waiting to be picked up.</summary>
    /// <param name="values">The values, the one the store writes first.</param>
    /// <returns>This, to chain.</returns>
    public JobStatusValues<TStatus> Pending(params TStatus[] values) => Set(JobStatus.Pending, values);

    /// <summary>The values of jobs queued for a later start.</summary>
    /// <param name="values">The values, the one the store writes first.</param>
    /// <returns>This, to chain.</returns>
    public JobStatusValues<TStatus> Scheduled(params TStatus[] values) => Set(JobStatus.Scheduled, values);

    /// <summary>The values of jobs being processed.</summary>
    /// <param name="values">The values, the one the store writes first.</param>
    /// <returns>This, to chain.</returns>
    public JobStatusValues<TStatus> Running(params TStatus[] values) => Set(JobStatus.Running, values);

    /// <summary>The values of jobs that finished successfully.</summary>
    /// <param name="values">The values, the one the store writes first.</param>
    /// <returns>This, to chain.</returns>
    public JobStatusValues<TStatus> Succeeded(params TStatus[] values) => Set(JobStatus.Succeeded, values);

    /// <summary>The values of jobs that finished with an error; the stale-job reaper writes the first.</summary>
    /// <param name="values">The values, the one the store writes first.</param>
    /// <returns>This, to chain.</returns>
    public JobStatusValues<TStatus> Failed(params TStatus[] values) => Set(JobStatus.Failed, values);

    /// <summary>The values of jobs stopped before they finished.</summary>
    /// <param name="values">The values, the one the store writes first.</param>
    /// <returns>This, to chain.</returns>
    public JobStatusValues<TStatus> Cancelled(params TStatus[] values) => Set(JobStatus.Cancelled, values);

    private JobStatusValues<TStatus> Set(JobStatus status, TStatus[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values[status] = values.Distinct().ToArray();
        return this;
    }
}
