using System.Globalization;
using Retention.Artifacts;
using Retention.Cleanup.Outlook;
using Retention.Cleanup.Pipeline;
using Retention.Diagnostics;
using Retention.Policies;
using Retention.Stores;

namespace Retention.Cleanup;

/// <summary>
/// The cleanup engine's front: the single-run gate, notification once a run has ended, and <c>explain</c>. A run
/// itself is a <see cref="CleanupRun"/>: per batch of candidates, the <see cref="JobPlanner"/> decides, the
/// <see cref="JobExecutor"/> deletes, and the <see cref="BatchRecorder"/> records in one store write the jobs whose due
/// data is all gone. A job with any artifact left is never recorded cleaned; it is reported and retried by the next run.
/// </summary>
internal sealed class JobCleaner : IJobCleaner, IJobExplainer
{
    private static readonly TimeSpan NotifierTimeout = TimeSpan.FromSeconds(30);
    private readonly CleanupEngine _engine;
    private readonly JobPlanner _planner;
    private readonly BatchProcessor _processor;
    private readonly BatchRecorder _recorder;
    private readonly JobSurvey _survey;

    public JobCleaner(CleanupEngine engine)
    {
        _engine = engine;
        _planner = new JobPlanner(engine);
        _processor = new BatchProcessor(engine, _planner, new JobExecutor(engine));
        _recorder = new BatchRecorder(engine);
        _survey = new JobSurvey(engine, _planner);
    }

    public RetentionPolicy Policy => _engine.Settings.Policy;

    public Task<CleanupReport> RunAsync(CleanupRequest request, IProgress<CleanupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryClaim(request, out var claim, out var running)
            ? RunClaimedAsync(request, claim, progress, cancellationToken)
            : Task.FromResult(AlreadyRunning(request, running));
    }

    public CleanupStart Start(CleanupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryClaim(request, out var claim, out var running))
        {
            Log.CleanupAlreadyRunning(_engine.Logger, request.Trigger);
            return new CleanupStart(false, null, running);
        }

        // Claimed here, synchronously, so the caller knows at once; the run itself goes on in the background.
        return new CleanupStart(true, Task.Run(() => RunClaimedAsync(request, claim, null, cancellationToken), CancellationToken.None), null) { RunId = claim.RunId };
    }

    public async Task<JobRetentionDecision?> ExplainAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        if (_engine.Stores.Lookup is not { } lookup)
        {
            throw new RetentionConfigurationException($"The store ({_engine.Stores.Jobs.GetType().Name}) cannot look jobs up; it needs to implement {nameof(IJobLookupStore)} to explain a job.");
        }

        var job = await lookup.FindJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        var locator = ConventionArtifactLocator.ForOneJob(_engine.Settings.Conventions, _engine.Time);
        return _engine.Settings.Policy.Evaluate(await _planner.WithAllArtifactsAsync(job, locator).ConfigureAwait(false), _engine.Time.GetUtcNow());
    }

    public Task<IReadOnlyList<UnmappedStatusWord>> FindUnmappedStatusesAsync(CancellationToken cancellationToken = default) =>
        StatusWordCheck.RunAsync(_engine, cancellationToken);

    public Task<IReadOnlyList<StorageUsage>> MeasureStorageAsync(CancellationToken cancellationToken = default) =>
        StorageMeter.MeasureAsync(_engine, _planner, cancellationToken);

    public Task<RetentionOutlook> GetOutlookAsync(TimeSpan window, CancellationToken cancellationToken = default) =>
        _survey.OutlookAsync(window, cancellationToken);

    public Task<PolicyComparison> CompareAsync(RetentionPolicy candidate, CancellationToken cancellationToken = default) =>
        _survey.CompareAsync(candidate, cancellationToken);

    // The status is the single-run gate: claiming a run and publishing it as the current one are one atomic step.
    private bool TryClaim(CleanupRequest request, out CleanupRunProgress claim, out CleanupRunProgress? running)
    {
        var now = _engine.Time.GetUtcNow();
        var dryRun = request.DryRun || _engine.Options.DryRun;
        claim = new CleanupRunProgress(NewRunId(now), request.Trigger, request.RequestedBy, now, new CleanupProgress(CleanupStage.Scanning, 0, 0, 0, dryRun), null);
        return _engine.Status.TryBegin(claim, out running);
    }

    private CleanupReport AlreadyRunning(CleanupRequest request, CleanupRunProgress? running)
    {
        Log.CleanupAlreadyRunning(_engine.Logger, request.Trigger);
        var now = _engine.Time.GetUtcNow();
        var dryRun = request.DryRun || _engine.Options.DryRun;
        return new CleanupReport
        {
            RunId = NewRunId(now),
            Trigger = request.Trigger,
            RequestedBy = request.RequestedBy,
            RequestedFrom = request.RequestedFrom,
            DryRun = dryRun,
            StartedAt = now,
            FinishedAt = now,
            Outcome = CleanupOutcome.AlreadyRunning,
            Error = running is null ? "A cleanup run is already in progress." : $"Cleanup run {running.RunId} (trigger {running.Trigger}) is already in progress.",
            Stats = new CleanupStats { DryRun = dryRun },
        };
    }

    private async Task<CleanupReport> RunClaimedAsync(CleanupRequest request, CleanupRunProgress claim, IProgress<CleanupProgress>? progress, CancellationToken cancellationToken)
    {
        CleanupReport? report = null;
        try
        {
            var run = new CleanupRun(_engine, _processor, _recorder, request, claim, new RunProgress(_engine.Status, progress, _engine.Logger));
            report = await run.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, the gate opens: a run is never left "in progress" after it returned or threw.
            _engine.Status.Finished(claim.RunId, report);
        }

        // Outside the gate: a slow notifier neither holds up the next run nor makes the status lie about one.
        await NotifyAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task NotifyAsync(CleanupReport report, CancellationToken cancellationToken)
    {
        foreach (var notifier in _engine.Notifiers)
        {
            // Each notifier gets its own time limit on the engine's clock. A run that a stopping host cancelled is still
            // reported (its token is already cancelled, so it is not passed on); otherwise the host's stop also ends the wait.
            using var limit = new CancellationTokenSource(NotifierTimeout, _engine.Time);
            using var linked = cancellationToken.IsCancellationRequested ? null : CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
            try
            {
                await notifier.NotifyAsync(report, (linked ?? limit).Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.NotifierFailed(_engine.Logger, ex, notifier.GetType().Name, ex.Message);
            }
        }
    }

    private static string NewRunId(DateTimeOffset now) =>
        "cleanup-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
}
