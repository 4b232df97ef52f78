namespace Retention.EntityFrameworkCore.Mapping;

/// <summary>
/// The validated status values, both ways: the values of each status (for <c>IN</c> lists and writes) and the status of
/// each value (for reads). Defaults: the words a <c>jobs.db</c> uses for strings, the members named like a status for enums.
/// </summary>
/// <typeparam name="TStatus">The status member's type.</typeparam>
internal sealed class StatusValueMap<TStatus>
    where TStatus : notnull
{
    private readonly Dictionary<JobStatus, TStatus[]> _values;
    private readonly Dictionary<TStatus, JobStatus> _statuses;

    private StatusValueMap(Dictionary<JobStatus, TStatus[]> values)
    {
        _values = values;
        _statuses = values.SelectMany(v => v.Value.Select(value => (value, v.Key))).DistinctBy(p => p.value).ToDictionary(p => p.value, p => p.Key);
    }

    public static StatusValueMap<TStatus> Create(Action<JobStatusValues<TStatus>>? configure, string member, ICollection<string> errors)
    {
        var values = new JobStatusValues<TStatus>(Defaults());
        configure?.Invoke(values);
        var map = values.Values.Where(v => v.Value.Length > 0).ToDictionary(v => v.Key, v => v.Value);
        foreach (var clash in map.SelectMany(v => v.Value.Select(value => (Value: value, Status: v.Key))).GroupBy(p => p.Value).Where(g => g.Count() > 1))
        {
            errors.Add($"map.Status({member}): the value '{clash.Key}' is given to {string.Join(" and ", clash.Select(c => c.Status))}; each value belongs to one status, or a job of one could be cleaned by the other's rule.");
        }

        foreach (var needed in new[] { JobStatus.Succeeded, JobStatus.Failed })
        {
            if (!map.ContainsKey(needed))
            {
                errors.Add($"map.Status({member}): {needed} has no value; say which value {member} holds for {needed} jobs, as in s => s.{needed}(...).");
            }
        }

        return new StatusValueMap<TStatus>(map);
    }

    /// <summary>Every value of <paramref name="statuses"/>.</summary>
    public TStatus[] ValuesOf(IEnumerable<JobStatus> statuses) => statuses.Distinct().SelectMany(s => _values.TryGetValue(s, out var v) ? v : []).ToArray();

    /// <summary>The value the store writes for <paramref name="status"/>.</summary>
    public TStatus Written(JobStatus status) => _values[status][0];

    /// <summary>The status of a stored value, or <see langword="null"/> when no status has it.</summary>
    public JobStatus? StatusOf(TStatus value) => _statuses.TryGetValue(value, out var status) ? status : null;

    private static IEnumerable<KeyValuePair<JobStatus, TStatus[]>> Defaults()
    {
        if (typeof(TStatus) == typeof(string))
        {
            var words = new Dictionary<JobStatus, string> { [JobStatus.Pending] = "pending", [JobStatus.Scheduled] = "scheduled", [JobStatus.Running] = "running", [JobStatus.Succeeded] = "completed", [JobStatus.Failed] = "failed", [JobStatus.Cancelled] = "cancelled" };
            return words.Select(w => KeyValuePair.Create(w.Key, new[] { (TStatus)(object)w.Value }));
        }

        var type = Nullable.GetUnderlyingType(typeof(TStatus)) ?? typeof(TStatus);
        if (!type.IsEnum)
        {
            return [];
        }

        // An enum member named like a status (or Completed, for Succeeded) is that status's value unless the map says otherwise.
        var names = Enum.GetNames(type);
        return Enum.GetValues<JobStatus>().Select(status => KeyValuePair.Create(status, names
            .Where(n => string.Equals(n, status.ToString(), StringComparison.OrdinalIgnoreCase) || (status == JobStatus.Succeeded && string.Equals(n, "Completed", StringComparison.OrdinalIgnoreCase)))
            .Select(n => (TStatus)Enum.Parse(type, n)).ToArray()));
    }
}
