namespace Retention.Stores;

/// <summary>
/// The status words a database store reads and writes for each <see cref="JobStatus"/>: the words a <c>jobs.db</c> uses
/// (<c>completed</c> for succeeded) unless a host's table uses others. A status may have several words
/// (<c>"completed, done"</c>): the store reads them all and writes the first. A word belongs to one status only, or a job
/// of one status could be cleaned by another's rule. A word no status has is unmapped: its jobs read as running, so they
/// are never cleaned, and the store reports them (<see cref="IStatusWordStore"/>).
/// </summary>
public sealed class JobStatusMap
{
    private static readonly Dictionary<JobStatus, string[]> DefaultWords = new()
    {
        [JobStatus.Pending] = ["pending"],
        [JobStatus.Scheduled] = ["scheduled"],
        [JobStatus.Running] = ["running"],
        [JobStatus.Succeeded] = ["completed"],
        [JobStatus.Failed] = ["failed"],
        [JobStatus.Cancelled] = ["cancelled"],
    };

    private readonly Dictionary<JobStatus, string[]> _words;
    private readonly Dictionary<string, JobStatus> _statuses;

    private JobStatusMap(Dictionary<JobStatus, string[]> words)
    {
        _words = words;
        _statuses = new Dictionary<string, JobStatus>(StringComparer.Ordinal); // as the SQL compares: 'OK' is not 'ok'
        foreach (var (status, list) in words)
        {
            foreach (var word in list)
            {
                _statuses[word] = status;
            }
        }
    }

    /// <summary>The default words with <paramref name="overrides"/> in their place; each problem is added to <paramref name="errors"/>.</summary>
    /// <param name="overrides">The host's words, by status; several words for one status are separated by commas (<c>"completed, done"</c>).</param>
    /// <param name="optionKey">The configuration key the overrides come from, for the messages (<c>JobCleanup:Sqlite:StatusNames</c>).</param>
    /// <param name="errors">Receives one message per empty or shared word.</param>
    /// <returns>The map.</returns>
    public static JobStatusMap Create(IEnumerable<KeyValuePair<JobStatus, string>> overrides, string optionKey, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(errors);
        var words = new Dictionary<JobStatus, string[]>(DefaultWords);
        foreach (var (status, value) in overrides)
        {
            var list = (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (list.Length == 0)
            {
                errors.Add($"{optionKey}:{status}: the status word is empty; give the word (or words, separated by commas) your status column holds for {status} jobs.");
                continue;
            }

            words[status] = list.Distinct(StringComparer.Ordinal).ToArray();
        }

        var owners = words.SelectMany(w => w.Value.Select(word => (Word: word, Status: w.Key)));
        foreach (var clash in owners.GroupBy(o => o.Word, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{optionKey}: '{clash.Key}' is given to {string.Join(" and ", clash.Select(c => c.Status))}; each word belongs to one status, or a job of one could be cleaned by the other's rule.");
        }

        return new JobStatusMap(words);
    }

    /// <summary>The word the store writes for <paramref name="status"/>: the first of its words.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public string NameOf(JobStatus status) => _words[status][0];

    /// <summary>Every word the store reads as <paramref name="status"/>, the written one first.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The words.</returns>
    public IReadOnlyList<string> WordsOf(JobStatus status) => _words[status];

    /// <summary>Every word of <paramref name="statuses"/>, for a query's <c>IN</c> list.</summary>
    /// <param name="statuses">The statuses.</param>
    /// <returns>The words.</returns>
    public IEnumerable<string> WordsOf(IEnumerable<JobStatus> statuses) => statuses.SelectMany(WordsOf);

    /// <summary>Whether any status has more than one word, so a compare-and-set must compare the word's status, not the word.</summary>
    public bool HasSeveralWords => _words.Values.Any(w => w.Length > 1);

    /// <summary>The status a stored word means, or <see langword="null"/> when no status has that word.</summary>
    /// <param name="word">The stored word.</param>
    /// <returns>The status, or <see langword="null"/>.</returns>
    public JobStatus? StatusOf(string word) => _statuses.TryGetValue(word, out var status) ? status : null;

    /// <summary>
    /// A SQL expression that turns <paramref name="column"/> into the written word of its status, so a compare-and-set
    /// against the written word holds for every word of the status. The column itself when each status has one word.
    /// </summary>
    /// <param name="column">The status column, as text.</param>
    /// <returns>The expression.</returns>
    public string WrittenWordSql(string column)
    {
        if (!HasSeveralWords)
        {
            return column;
        }

        var cases = _words.Values.Where(w => w.Length > 1)
            .SelectMany(w => w.Skip(1).Select(alias => $"WHEN {Literal(alias)} THEN {Literal(w[0])}"));
        return $"(CASE {column} {string.Join(" ", cases)} ELSE {column} END)";
    }

    // Configured words, not user input at run time; quoted as SQL string literals (quotes doubled) all the same.
    private static string Literal(string word) => "'" + word.Replace("'", "''", StringComparison.Ordinal) + "'";
}
