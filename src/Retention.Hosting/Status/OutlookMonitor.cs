using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Cleanup.Outlook;
using Retention.Diagnostics;
using Retention.Hosting.Diagnostics;
using Retention.Hosting.Scheduling;

namespace Retention.Hosting.Status;

/// <summary>
/// Keeps the outlook (<see cref="IJobExplainer.GetOutlookAsync"/>) fresh: every refresh interval and soon after each run
/// that deleted. Publishes the <c>retention.overdue.*</c> gauges, gives the health check the overdue data's age, and sends
/// the notice of data about to become due. Reading it walks the store, so it runs beside the work, never inside a gauge
/// callback or a run.
/// </summary>
internal sealed class OutlookMonitor : BackgroundLoop, ICleanupNotifier
{
    private static readonly TimeSpan NotifierTimeout = TimeSpan.FromSeconds(30);
    private readonly Lazy<IJobExplainer> _explainer;
    private readonly IDeletionNoticeNotifier[] _notifiers;
    private readonly BackgroundCleanupOptions _options;
    private readonly ILogger _logger;
    private readonly IHostEnvironment? _environment;
    private readonly Meter? _ownedMeter;
    private RetentionOutlook? _outlook;
    private DateTimeOffset? _lastNoticeAt;
    private TaskCompletionSource _wake = NewWake();

    public OutlookMonitor(
        IServiceProvider services,
        IEnumerable<IDeletionNoticeNotifier> notifiers,
        IOptions<BackgroundCleanupOptions> options,
        TimeProvider time,
        ILogger<OutlookMonitor> logger,
        IHostEnvironment? environment = null,
        IMeterFactory? meterFactory = null)
        : base(time, logger, options.Value.ClockCheckInterval)
    {
        // Resolved on first use: the explainer is the engine, which holds its notifiers, this one among them.
        _explainer = new Lazy<IJobExplainer>(services.GetRequiredService<IJobExplainer>);
        _notifiers = notifiers.ToArray();
        _options = options.Value;
        _logger = logger;
        _environment = environment;
        var meter = meterFactory?.Create(RetentionTelemetry.Name) ?? (_ownedMeter = new Meter(RetentionTelemetry.Name));
        meter.CreateObservableGauge(RetentionTelemetry.OverdueJobs, () => Outlook?.OverdueJobs ?? 0, "{job}", "Jobs with data past due and still present.");
        meter.CreateObservableGauge(RetentionTelemetry.OverdueBytes, () => Outlook?.OverdueBytes ?? 0, "By", "Recorded bytes of data past due and still present.");
        meter.CreateObservableGauge(RetentionTelemetry.OverdueOldestAge, () => Outlook?.OldestOverdueSince is { } since ? (Time.GetUtcNow() - since).TotalSeconds : 0, "s", "How long the longest-overdue data has been due.");
    }

    /// <summary>Whether the outlook is read at all (a refresh interval of zero turns it off).</summary>
    public bool IsEnabled => _options.Outlook.RefreshInterval > TimeSpan.Zero;

    /// <summary>The health check is degraded when data has been overdue longer than this.</summary>
    public TimeSpan DegradedAfter => _options.Outlook.DegradedAfter;

    /// <summary>The last outlook read; null before the first.</summary>
    public RetentionOutlook? Outlook => Volatile.Read(ref _outlook);

    protected override string Work => "Outlook refresh";

    public ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        // A run that deleted changes what is overdue: the loop reads again now rather than at its next interval. Not here,
        // and not on this thread (the wake resumes the loop asynchronously): a read of every job may take longer than a
        // notifier may, and the run's caller is waiting.
        if (!report.DryRun)
        {
            Volatile.Read(ref _wake).TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Reads the outlook now, and sends the notice when one is due.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var o = _options.Outlook;
        var outlook = await _explainer.Value.GetOutlookAsync(o.SendNotice ? o.NoticeWindow : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _outlook, outlook);
        HostingLog.OutlookRead(_logger, outlook.OverdueJobs, ByteSize.Format(outlook.OverdueBytes), outlook.UpcomingJobs, outlook.Window);

        // Data a run has yet to reach is overdue for a while on any schedule: a warning only past the health check's limit.
        if (outlook.OldestOverdueAge > o.DegradedAfter)
        {
            HostingLog.DataOverdue(_logger, outlook.OverdueJobs, ByteSize.Format(outlook.OverdueBytes), outlook.OldestOverdueSince!.Value, outlook.Overdue.Count > 0 ? outlook.Overdue[0].StaysBecause ?? string.Empty : string.Empty);
        }

        // Sent one read before the last notice's window runs out, so consecutive notices' windows overlap rather than
        // leave a gap the length of a refresh interval.
        if (o.SendNotice && outlook.UpcomingJobs > 0 && (_lastNoticeAt is not { } last || outlook.EvaluatedAt - last >= o.NoticeWindow - o.RefreshInterval))
        {
            _lastNoticeAt = outlook.EvaluatedAt;
            await SendNoticeAsync(outlook, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!IsEnabled || HostEnvironmentGate.IsSuppressed(_environment, _options, _logger))
        {
            return;
        }

        // Not at start: the first read comes after the first run that deleted, or one interval in, whichever is sooner.
        var wake = Volatile.Read(ref _wake);
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                var waiting = WaitUntilAsync(Time.GetUtcNow() + _options.Outlook.RefreshInterval, interval.Token);
                await Task.WhenAny(waiting, wake.Task).ConfigureAwait(false);
                await interval.CancelAsync().ConfigureAwait(false); // woken by a run: the interval's wait ends too
                try
                {
                    await waiting.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }

            stoppingToken.ThrowIfCancellationRequested();

            // Armed before the read, so a run that ends while it goes on wakes the next wait.
            wake = NewWake();
            Volatile.Write(ref _wake, wake);
            await PassAsync(RefreshAsync, stoppingToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _ownedMeter?.Dispose();
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task SendNoticeAsync(RetentionOutlook outlook, CancellationToken cancellationToken)
    {
        HostingLog.NoticeSent(_logger, outlook.UpcomingJobs, ByteSize.Format(outlook.UpcomingBytes), outlook.Window, _notifiers.Length);
        foreach (var notifier in _notifiers)
        {
            using var limit = new CancellationTokenSource(NotifierTimeout, Time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
            try
            {
                await notifier.NotifyUpcomingAsync(outlook, either.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                HostingLog.NotifierFailed(_logger, ex, notifier.GetType().Name, ex.Message);
            }
        }
    }
}
