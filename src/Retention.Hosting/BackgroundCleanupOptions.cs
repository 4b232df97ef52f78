namespace Retention.Hosting;

/// <summary>
/// What the host does by itself (configuration section <c>JobCleanup:Background</c>): the cleanup schedule, the stale-job reaper,
/// the start-up reset, orphan sweeps and notifications. Validated when the host starts; every bad value is reported with its key.
/// </summary>
public sealed class BackgroundCleanupOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "JobCleanup:Background";

    /// <summary>Runs cleanups on <see cref="Schedule"/>. Default: true (calling <c>AddBackgroundCleanup()</c> is asking for it); set false to keep only the reaper, sweeps and triggers.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What reading the configuration found wrong, reported with the validation's own errors at start.</summary>
    internal List<string> ConfigurationProblems { get; } = [];

    /// <summary>A daily time (<c>03:00</c>), a cron expression (<c>0 2 * * *</c>) or an interval (<c>every 6h</c>). Default: <c>02:00</c>.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>The schedule when none is configured.</summary>
    internal const string DefaultSchedule = "02:00";

    /// <summary>The configuration key (or alias) that set <see cref="Enabled"/>, and the value it set; null when none did.</summary>
    internal (string Key, bool Value)? EnabledSetBy { get; set; }

    /// <summary>The configuration key (or alias) that set <see cref="Schedule"/>, and the value it set; null when none did.</summary>
    internal (string Key, string Value)? ScheduleSetBy { get; set; }

    /// <summary>Aliases given beside the library's own key, which wins: said at start so neither is a silent no-op.</summary>
    internal List<string> ShadowedAliases { get; } = [];

    /// <summary>The time zone daily and cron schedules are read in, as an IANA or Windows id. Default: <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Runs one cleanup soon after start, whether or not the schedule is enabled. Default: false.</summary>
    public bool RunOnStart { get; set; }

    /// <summary>
    /// Runs a scheduled cleanup soon after start when one was missed while the process was down (the last scheduled run in the
    /// history is older than one period), as a systemd timer with <c>Persistent=true</c> does. Needs a store with run history. Default: true.
    /// </summary>
    public bool CatchUpMissedRun { get; set; } = true;

    /// <summary>How long after start a start-up or caught-up run begins, so the host settles first. Default: 30 seconds.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A random delay up to this long is added to each scheduled run, so a fleet does not start at the same second. Default: none.</summary>
    public TimeSpan Jitter { get; set; }

    /// <summary>Fails every job a previous process left running or scheduled before the host starts. Only for a single instance per store. Default: false.</summary>
    public bool ResetStaleJobsOnStart { get; set; }

    /// <summary>Runs background work in the <c>Testing</c> environment too. Default: false, so integration tests stay in control.</summary>
    public bool RunInTesting { get; set; }

    /// <summary>The run-time stale-job reaper.</summary>
    public ReaperOptions Reaper { get; set; } = new();

    /// <summary>Scheduled orphan sweeps.</summary>
    public OrphanSweepScheduleOptions Orphans { get; set; } = new();

    /// <summary>
    /// The longest single timer wait: long waits re-read the wall clock this often, because timers run on a clock that stops
    /// while the machine sleeps. A host that wakes after a run was due starts it within this interval. Default: 1 minute.
    /// </summary>
    public TimeSpan ClockCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the <c>retention.storage.held</c> gauge re-reads the store's usage. Default: 5 minutes.</summary>
    public TimeSpan UsageRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The outlook: overdue data in gauges and the health check, and the notice before data goes.</summary>
    public OutlookOptions Outlook { get; set; } = new();
}
