namespace Retention.Stores;

/// <summary>
/// The status strings a database store writes for each <see cref="JobStatus"/>: the words a <c>jobs.db</c> uses (<c>completed</c> for
/// succeeded) unless a host's table uses others. Each status needs its own string, or a job of one status could be
/// cleaned by another's rule.
/// </summary>
public sealed class JobStatusMap
{
    private static readonly Dictionary<JobStatus, string> DefaultNames = new()
    {
        [JobStatus.Pending] = "pending",
        [JobStatus.Scheduled] = "scheduled",
        [JobStatus.Running] = "running",
        [JobStatus.Succeeded] = "completed",
        [JobStatus.Failed] = "failed",
        [JobStatus.Cancelled] = "cancelled",
    };

    private readonly Dictionary<JobStatus, string> _names;
    private readonly Dictionary<string, JobStatus> _statuses;

    private JobStatusMap(Dictionary<JobStatus, string> names)
    {
        _names = names;
        _statuses = new Dictionary<string, JobStatus>(StringComparer.OrdinalIgnoreCase);
        foreach (var (status, name) in names)
        {
            _statuses[name] = status;
        }
    }

    /// <summary>The default strings with <paramref name="overrides"/> in their place; each problem is added to <paramref name="errors"/>.</summary>
    /// <param name="overrides">The host's strings, by status.</param>
    /// <param name="optionKey">The configuration key the overrides come from, for the messages (<c>JobCleanup:Sqlite:StatusNames</c>).</param>
    /// <param name="errors">Receives one message per empty or shared string.</param>
    /// <returns>The map.</returns>
    public static JobStatusMap Create(IEnumerable<KeyValuePair<JobStatus, string>> overrides, string optionKey, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(errors);
        var names = new Dictionary<JobStatus, string>(DefaultNames);
        foreach (var (status, name) in overrides)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add($"{optionKey}:{status}: the status string is empty.");
                continue;
            }

            names[status] = name;
        }

        foreach (var clash in names.GroupBy(n => n.Value, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"{optionKey}: '{clash.Key}' is given to {string.Join(" and ", clash.Select(c => c.Key))}; each status needs its own string, or a job of one could be cleaned by the other's rule.");
        }

        return new JobStatusMap(names);
    }

    /// <summary>The string stored for <paramref name="status"/>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The string.</returns>
    public string NameOf(JobStatus status) => _names[status];

    /// <summary>The status a stored string means: a mapped string first, then the usual words; <see langword="null"/> when unknown.</summary>
    /// <param name="name">The stored string.</param>
    /// <returns>The status, or <see langword="null"/>.</returns>
    public JobStatus? StatusOf(string name) =>
        _statuses.TryGetValue(name, out var status) ? status : JobStatusNames.TryParse(name, out status) ? status : null;
}
