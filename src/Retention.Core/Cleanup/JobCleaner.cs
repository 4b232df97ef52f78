using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Retention.Artifacts;
using Retention.Deletion;
using Retention.Diagnostics;
using Retention.Policies;
using Retention.Quarantine;
using Retention.Stores;

namespace Retention.Cleanup;

/// <summary>
/// The cleanup engine. Per batch of candidates: evaluate each job, delete (or measure) its due artifacts with bounded
/// parallelism, then record in one store write the jobs whose due data is all gone. A job with any artifact left is
/// never recorded cleaned; it is reported and retried by the next run.
/// </summary>
internal sealed class JobCleaner : IJobCleaner, IJobExplainer
{
    private static readonly TimeSpan NotifierTimeout = TimeSpan.FromSeconds(30);
    private readonly IJobCleanupStore _store;
    private readonly IJobPurgeStore? _purgeStore;
    private readonly ICleanupRunStore? _runStore;
    private readonly IJobLookupStore? _lookupStore;
    private readonly ISafeDeleter _deleter;
    private readonly IJobQuarantine _quarantine;
    private readonly JobCleanupOptions _options;
    private readonly JobCleanupSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetentionMetrics _metrics;
    private readonly ResiliencePipeline _pipeline;
    private readonly string _basePath;
    private readonly CleanupStatusTracker _status;
    private readonly ICleanupNotifier[] _notifiers;
    private readonly ICleanupCandidateCounter? _counter;
    private readonly IJobClaimStore? _claims;

    public JobCleaner(
        IJobCleanupStore store,
        IJobPurgeStore? purgeStore,
        ICleanupRunStore? runStore,
        IJobLookupStore? lookupStore,
        ISafeDeleter deleter,
        IJobQuarantine quarantine,
        JobCleanupOptions options,
        TimeProvider timeProvider,
        ILogger<JobCleaner> logger,
        RetentionMetrics metrics,
        CleanupStatusTracker? status = null,
        IEnumerable<ICleanupNotifier>? notifiers = null,
        ICleanupCandidateCounter? counter = null,
        IJobClaimStore? claims = null)
    {
        _store = store;
        _purgeStore = purgeStore;
        _runStore = runStore;
        _lookupStore = lookupStore;
        _deleter = deleter;
        _quarantine = quarantine;
        _options = options;
        _settings = JobCleanupSettings.Resolve(options);
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _pipeline = options.ResiliencePipeline ?? Resilience.RetentionResilience.CreateDefaultPipeline(timeProvider, logger);
        _basePath = Path.GetFullPath(options.BasePath ?? Environment.CurrentDirectory);
        _status = status ?? new CleanupStatusTracker(() => []);
        _notifiers = notifiers?.ToArray() ?? [];
        _counter = counter;
        _claims = claims;
    }

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
            Log.CleanupAlreadyRunning(_logger, request.Trigger);
            return new CleanupStart(false, null, running);
        }

        // Claimed here, synchronously, so the caller knows at once; the run itself goes on in the background.
        return new CleanupStart(true, Task.Run(() => RunClaimedAsync(request, claim, null, cancellationToken), CancellationToken.None), null) { RunId = claim.RunId };
    }

    public RetentionPolicy Policy => _settings.Policy;

    public async Task<JobRetentionDecision?> ExplainAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        if (_lookupStore is null)
        {
            throw new RetentionConfigurationException($"The store ({_store.GetType().Name}) cannot look jobs up; it needs to implement {nameof(IJobLookupStore)} to explain a job.");
        }

        var job = await _lookupStore.FindJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        var locator = ConventionArtifactLocator.ForOneJob(_settings.Conventions, _time);
        return _settings.Policy.Evaluate(await WithAllArtifactsAsync(job, locator).ConfigureAwait(false), _time.GetUtcNow());
    }

    // The status is the single-run gate: claiming a run and publishing it as the current one are one atomic step.
    private bool TryClaim(CleanupRequest request, out CleanupRunProgress claim, out CleanupRunProgress? running)
    {
        var now = _time.GetUtcNow();
        var dryRun = request.DryRun || _options.DryRun;
        claim = new CleanupRunProgress(NewRunId(now), request.Trigger, request.RequestedBy, now, new CleanupProgress(CleanupStage.Scanning, 0, 0, 0, dryRun), null);
        return _status.TryBegin(claim, out running);
    }

    private CleanupReport AlreadyRunning(CleanupRequest request, CleanupRunProgress? running)
    {
        Log.CleanupAlreadyRunning(_logger, request.Trigger);
        var now = _time.GetUtcNow();
        var dryRun = request.DryRun || _options.DryRun;
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
            report = await RunExclusiveAsync(request, claim, new SafeProgress(_status, progress, _logger), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, the gate opens: a run is never left "in progress" after it returned or threw.
            _status.Finished(claim.RunId, report);
        }

        // Outside the gate: a slow notifier neither holds up the next run nor makes the status lie about one.
        await NotifyAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task<CleanupReport> RunExclusiveAsync(CleanupRequest request, CleanupRunProgress claim, SafeProgress progress, CancellationToken cancellationToken)
    {
        var dryRun = claim.Progress.DryRun;
        var policy = request.Policy ?? _settings.Policy;

        // A shared store claims what this run streams (a dry run writes nothing, so claims nothing).
        var claimOwner = dryRun || _claims is null ? null : claim.RunId;
        var run = new RunState(claim.RunId, request.RequestedBy, dryRun, policy, claim.StartedAt, _options.MaxReportedJobs, progress) { JobFinished = request.JobFinished, Logger = _logger, ClaimOwner = claimOwner, Lease = request.Lease, Breaker = new CircuitBreaker(_options.CircuitBreaker) };

        // A leader that loses its lock stops as a stop would: before its next job, with every finished job recorded.
        using var leaseLink = request.Lease is { } lease ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost) : null;
        cancellationToken = leaseLink?.Token ?? cancellationToken;
        var clock = Stopwatch.StartNew();
        using var activity = RetentionTelemetry.ActivitySource.StartActivity("retention.cleanup");
        activity?.SetTag("retention.run_id", run.RunId);
        activity?.SetTag("retention.dry_run", dryRun);
        activity?.SetTag("retention.trigger", request.Trigger);
        if (dryRun)
        {
            Log.DryRunStarting(_logger, run.RunId, request.Trigger);
        }
        else
        {
            Log.CleanupStarting(_logger, run.RunId, request.Trigger);
        }

        var outcome = CleanupOutcome.Completed;
        string? error = null;
        try
        {
            if (!dryRun)
            {
                await PurgeQuarantineAsync(run, cancellationToken).ConfigureAwait(false);
            }

            await CleanCandidatesAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (CircuitBreakerTrippedException tripped)
        {
            outcome = CleanupOutcome.LimitReached;
            error = tripped.Message;
            Log.CircuitBreakerTripped(_logger, run.RunId, tripped.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = CleanupOutcome.Cancelled;
            if (request.Lease is { Lost.IsCancellationRequested: true } lost)
            {
                error = $"Lost the leader lock '{lost.Name}'.";
                Log.LeaseLost(_logger, run.RunId, lost.Name);
            }

            Log.CleanupCancelled(_logger, run.Stats.JobsCleaned, ByteSize.Format(run.Stats.BytesFreed));
        }
        catch (Exception ex)
        {
            // Reported, not thrown: the caller (a schedule, an endpoint) gets a report saying what was done before the error.
            outcome = CleanupOutcome.Failed;
            error = ex.Message;
            Log.CleanupFailed(_logger, ex, run.Stats.JobsCleaned, ex.Message);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
        }
        finally
        {
            await ReleaseClaimsAsync(run).ConfigureAwait(false);
        }

        var stats = run.Stats.Build(dryRun, clock.Elapsed);
        progress.Report(new CleanupProgress(CleanupStage.Finished, stats.JobsScanned, stats.JobsCleaned, stats.BytesFreed, dryRun));
        LogSummary(run, stats, outcome);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant());
        _metrics.Runs.Add(1, outcomeTag, new KeyValuePair<string, object?>("dry_run", dryRun));
        _metrics.RunDuration.Record(clock.Elapsed.TotalSeconds, outcomeTag);
        var report = new CleanupReport
        {
            RunId = run.RunId,
            Trigger = request.Trigger,
            RequestedBy = request.RequestedBy,
            RequestedFrom = request.RequestedFrom,
            DryRun = dryRun,
            StartedAt = run.Now,
            FinishedAt = run.Now + clock.Elapsed,
            Outcome = outcome,
            Error = error,
            Stats = stats,
            Jobs = run.Details,
            JobsOmitted = run.DetailsOmitted,
        };
        await RecordRunAsync(report).ConfigureAwait(false);
        return report;
    }

    private async Task NotifyAsync(CleanupReport report, CancellationToken cancellationToken)
    {
        if (_notifiers.Length == 0)
        {
            return;
        }

        foreach (var notifier in _notifiers)
        {
            // Each notifier gets its own time limit on the engine's clock. A run that a stopping host cancelled is still
            // reported (its token is already cancelled, so it is not passed on); otherwise the host's stop also ends the wait.
            using var limit = new CancellationTokenSource(NotifierTimeout, _time);
            using var linked = cancellationToken.IsCancellationRequested ? null : CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
            try
            {
                await notifier.NotifyAsync(report, (linked ?? limit).Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.NotifierFailed(_logger, ex, notifier.GetType().Name, ex.Message);
            }
        }
    }

    private async Task RecordRunAsync(CleanupReport report)
    {
        if (_runStore is null)
        {
            return;
        }

        try
        {
            await ExecuteAsync("record run", ct => _runStore.RecordRunAsync(report, ct)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The run's work is done and recorded job by job; a lost history row is logged, not fatal.
            Log.RunHistoryFailed(_logger, ex, report.RunId);
        }
    }

    // Jobs this run claimed but did not clean (kept, failed, not reached) go back to the pool at once, not at the timeout.
    private async Task ReleaseClaimsAsync(RunState run)
    {
        if (run.ClaimOwner is null)
        {
            return;
        }

        try
        {
            await ExecuteAsync("release claims", ct => _claims!.ReleaseClaimsAsync(run.ClaimOwner, ct)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ClaimReleaseFailed(_logger, ex, run.RunId, ex.Message);
        }
    }

    // Quarantined data past its grace period goes first, whether or not quarantining is still enabled: turning it off must
    // not leave data in the quarantine forever. A purge that breaks is logged; it does not stop the run's own cleanup.
    private async Task PurgeQuarantineAsync(RunState run, CancellationToken cancellationToken)
    {
        try
        {
            var purge = await _quarantine.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
            run.Stats.AddQuarantinePurge(purge.BytesFreed);
            if (purge.EntriesDeleted > 0 || purge.BytesFreed > 0)
            {
                Log.QuarantinePurged(_logger, purge.EntriesDeleted, RetentionPeriod.Describe(_options.Quarantine.GracePeriod), ByteSize.Format(purge.BytesFreed));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.QuarantinePurgeError(_logger, ex, ex.Message);
        }
    }

    private async Task CleanCandidatesAsync(RunState run, CancellationToken cancellationToken)
    {
        var policy = run.Policy;
        if (policy.CandidateStatuses.Count == 0)
        {
            return; // no rule ever deletes anything
        }

        if (_purgeStore is null && policy.Rules.Any(r => r.Action == RetentionAction.PurgeRecord))
        {
            throw new RetentionConfigurationException($"The policy has a purge rule but the store ({_store.GetType().Name}) does not implement {nameof(IJobPurgeStore)}; implement it or use RetentionAction.DeleteArtifacts.");
        }

        var finishedBefore = policy.ShortestRetention >= run.Now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : run.Now - policy.ShortestRetention;
        var query = new CleanupCandidateQuery(policy.CandidateStatuses, finishedBefore, _options.BatchSize)
        {
            IncludeRanks = policy.Rules.Any(r => r.Period.Kind == RetentionPeriodKind.KeepLast),
            ClaimOwner = run.ClaimOwner,
            Fence = run.Lease is { FencingToken: { } token } lease ? new LeaseFence(lease.Name, token) : null,
        };
        if (_counter is not null)
        {
            // One count up front gives the status a percentage; the stream itself never needs it.
            long count = 0;
            await ExecuteAsync("count candidates", async ct => count = await _counter.CountCleanupCandidatesAsync(query, ct).ConfigureAwait(false)).ConfigureAwait(false);
            _status.Counted(count);
        }

        // Three stages overlap, each in order: the store's stream is read a batch ahead; a batch is processed (its
        // deletions in parallel); the batches processed so far are recorded meanwhile. The recorder takes every batch
        // waiting when it is free, so when marking is the slower stage its transactions grow instead of queueing up
        // (group commit). The queue is bounded to about a thousand jobs' results (a longer queue cost peak memory at a
        // million jobs and bought no speed): a run holds a few batches, never the run.
        var locator = ConventionArtifactLocator.ForRun(_settings.Conventions, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<List<JobRecord>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var processed = Channel.CreateBounded<JobResult?[]>(new BoundedChannelOptions(Math.Clamp(1024 / _options.BatchSize, 2, 16)) { SingleReader = true, SingleWriter = true });
        var reader = ReadBatchesAsync(query, batches.Writer, stop.Token);
        var recorder = RecordBatchesAsync(run, processed);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var (results, cancelled) = await ProcessBatchAsync(run, batch, locator, cancellationToken).ConfigureAwait(false);

                // Recorded even when cancelled: a deleted job must not look uncleaned. A recorder that failed has closed
                // the queue with its error, which the wait for it below surfaces.
                await processed.Writer.WriteAsync(results, CancellationToken.None).ConfigureAwait(false);

                if (cancelled)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                run.Breaker.ThrowIfTripped();
            }

            await reader.ConfigureAwait(false); // the store's error, if the stream ended with one
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            processed.Writer.TryComplete();
            await recorder.ConfigureAwait(false); // everything processed is recorded before the run ends
            await ObserveAsync(reader).ConfigureAwait(false);
        }
    }

    // Records processed batches in order, as many at once as are waiting. On an error it closes the queue, so the
    // engine stops before processing (and deleting) more than it can record.
    private async Task RecordBatchesAsync(RunState run, Channel<JobResult?[]> processed)
    {
        await Task.Yield();
        try
        {
            var group = new List<JobResult?>();
            while (await processed.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                group.Clear();
                while (processed.Reader.TryRead(out var results))
                {
                    group.AddRange(results);
                }

                await RecordAsync(run, group).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            processed.Writer.TryComplete(ex);
            throw;
        }
    }

    // The stream in batches, a batch or two ahead of the engine; the channel completes with the stream's error, if any.
    private async Task ReadBatchesAsync(CleanupCandidateQuery query, ChannelWriter<List<JobRecord>> writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Exception? error = null;
        try
        {
            var batch = new List<JobRecord>(_options.BatchSize);
            await foreach (var job in _store.GetCleanupCandidatesAsync(query, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(job);
                if (batch.Count >= _options.BatchSize)
                {
                    await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch = new List<JobRecord>(_options.BatchSize);
                }
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            writer.TryComplete(error is OperationCanceledException ? null : error);
        }
    }

    // The reader's end once the engine has stopped for its own reason: its cancellation is expected, not an error.
    private static async Task ObserveAsync(Task reader)
    {
        try
        {
            await reader.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already surfaced through the channel, or a cancellation this method's caller asked for.
        }
    }

    private async Task<(JobResult?[] Results, bool Cancelled)> ProcessBatchAsync(RunState run, List<JobRecord> batch, ConventionArtifactLocator locator, CancellationToken cancellationToken)
    {
        using var activity = RetentionTelemetry.ActivitySource.StartActivity("retention.batch");
        activity?.SetTag("retention.batch.jobs", batch.Count);
        run.Progress.Report(new CleanupProgress(CleanupStage.Deleting, run.Stats.JobsScanned, run.Stats.JobsCleaned, run.Stats.BytesFreed, run.DryRun));
        var results = new JobResult?[batch.Count];

        // Planned one after another (locating and evaluating touch no data); a job with nothing to delete is finished
        // on the spot, and only jobs with deletions go to the parallel loop: a task per job cost more than the job itself
        // when most due jobs' data is long gone. Under claims, those jobs' claims are confirmed together, in one call.
        var deletions = new List<(int Index, JobRecord Job, JobRetentionDecision Decision)>();
        var idle = new List<(int Index, JobRecord Job, JobRetentionDecision Decision)>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return (results, true);
            }

            try
            {
                var (done, job, decision) = await PlanJobAsync(run, batch[i], locator).ConfigureAwait(false);
                if (done is not null)
                {
                    results[i] = done;
                }
                else if (!decision!.HasDueArtifacts && run.ClaimOwner is null)
                {
                    results[i] = await ExecuteJobAsync(run, batch[i], job!, decision).ConfigureAwait(false);
                }
                else if (!decision.HasDueArtifacts)
                {
                    idle.Add((i, job!, decision));
                }
                else
                {
                    deletions.Add((i, job!, decision));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results[i] = JobError(run, batch[i], ex);
            }
        }

        if (idle.Count > 0)
        {
            await FinishIdleClaimedAsync(run, batch, idle, results).ConfigureAwait(false);
        }

        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelDeletions, CancellationToken = cancellationToken };

            // The token stops new jobs from starting; a job that has started finishes, so none is left half-deleted and unrecorded.
            await Parallel.ForEachAsync(deletions, parallel, async (d, _) =>
            {
                try
                {
                    results[d.Index] = await ExecuteJobAsync(run, batch[d.Index], d.Job, d.Decision).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    results[d.Index] = JobError(run, batch[d.Index], ex);
                }
            }).ConfigureAwait(false);
            return (results, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (results, true);
        }
    }

    // Claimed jobs with nothing left to delete: one confirmation for all of them (a round trip per job was most of a run
    // whose due data is long gone), then each is finished on the spot. One that changed since it was read is left alone.
    private async Task FinishIdleClaimedAsync(RunState run, List<JobRecord> batch, List<(int Index, JobRecord Job, JobRetentionDecision Decision)> idle, JobResult?[] results)
    {
        IReadOnlySet<string> confirmed;
        try
        {
            confirmed = await ConfirmClaimsAsync(run, idle.ConvertAll(d => batch[d.Index])).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var d in idle)
            {
                results[d.Index] = JobError(run, batch[d.Index], ex);
            }

            return;
        }

        foreach (var d in idle)
        {
            try
            {
                results[d.Index] = confirmed.Contains(d.Job.Id)
                    ? await ExecuteJobAsync(run, batch[d.Index], d.Job, d.Decision, claimConfirmed: true).ConfigureAwait(false)
                    : ChangedSincePlanned(run, batch[d.Index]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results[d.Index] = JobError(run, batch[d.Index], ex);
            }
        }
    }

    // Which of the jobs are still this run's and unchanged since they were read (re-queued, cleaned by another instance,
    // or their claim lapsed and was taken: not). Confirming also renews the claims for the jobs' own deletions.
    private async Task<IReadOnlySet<string>> ConfirmClaimsAsync(RunState run, IReadOnlyList<JobRecord> jobs)
    {
        IReadOnlySet<string> confirmed = new HashSet<string>();
        await ExecuteAsync("confirm claim", async ct => confirmed = await _claims!.ConfirmClaimsAsync(run.ClaimOwner!, jobs, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return confirmed;
    }

    private JobResult ChangedSincePlanned(RunState run, JobRecord candidate)
    {
        Log.JobChangedSincePlanned(_logger, candidate.Id);
        var changed = new JobRetentionDecision(candidate, run.Now, JobProtection.None, [], false, false, null, "changed since it was planned");
        return new JobResult(changed, JobCleanupOutcome.Skipped, [], Mark: false);
    }

    // One job's unexpected error (a bad path from the store, a host deleter that throws) fails that job, not the batch:
    // the other jobs' deletions are still recorded, and later batches still run.
    private JobResult JobError(RunState run, JobRecord candidate, Exception ex)
    {
        Log.JobFailed(_logger, ex, candidate.Id, ex.Message);
        var decision = new JobRetentionDecision(candidate, run.Now, JobProtection.None, [], false, false, null, "error: " + ex.Message);
        return new JobResult(decision, JobCleanupOutcome.Failed, [new ArtifactCleanupResult(ArtifactKind.Output, string.Empty, DeletionOutcome.Failed, 0, ex.Message)], Mark: false);
    }

    // The plan: the job's artifacts and the policy's decision, or the job's result when there is nothing to do.
    private async ValueTask<(JobResult? Done, JobRecord? Job, JobRetentionDecision? Decision)> PlanJobAsync(RunState run, JobRecord candidate, ConventionArtifactLocator locator)
    {
        if (!run.Policy.MayBeDue(candidate, run.Now))
        {
            // Streamed because some status's retention ran out, but not this job's: skipped before any disk access.
            return (new JobResult(new JobRetentionDecision(candidate, run.Now, JobProtection.None, [], false, false, null, "not due yet"), JobCleanupOutcome.Skipped, [], Mark: false), null, null);
        }

        var job = await WithAllArtifactsAsync(candidate, locator).ConfigureAwait(false);
        var decision = run.Policy.Evaluate(job, run.Now);
        if (decision.Protection != JobProtection.None)
        {
            // The store's filter is not trusted for safety: an active or pinned job is never touched.
            if (decision.Protection == JobProtection.Active)
            {
                Log.ActiveJobSkipped(_logger, job.Id, job.Status.ToWord());
            }
            else
            {
                Log.PinnedJobKept(_logger, job.Id, decision.Reason);
            }

            return (new JobResult(decision, JobCleanupOutcome.Protected, [], Mark: false), null, null);
        }

        if (!decision.HasDueArtifacts && (!decision.IsDue || decision.HasPendingArtifacts))
        {
            return (new JobResult(decision, JobCleanupOutcome.Skipped, [], Mark: false), null, null);
        }

        if (locator.RefusalFor(job.Id) is { } refusal)
        {
            // Its files cannot be named, so "nothing left" cannot be known: refused and left unmarked for an operator to see.
            var refused = new DeletionResult(job.Id, DeletionOutcome.Refused, Reason: refusal);
            LogArtifact(job.Id, refused, run.DryRun);
            return (new JobResult(decision, JobCleanupOutcome.Failed, [new ArtifactCleanupResult(ArtifactKind.Output, job.Id, DeletionOutcome.Refused, 0, refusal)], Mark: false), null, null);
        }

        return (null, job, decision);
    }

    private async Task<JobResult> ExecuteJobAsync(RunState run, JobRecord candidate, JobRecord job, JobRetentionDecision decision, bool claimConfirmed = false)
    {
        if (!run.Breaker.TryStartJob())
        {
            // A limit was reached: the job is left for the next run, untouched.
            var held = new JobRetentionDecision(candidate, run.Now, JobProtection.None, [], false, false, null, "circuit breaker: this run's limit is reached");
            return new JobResult(held, JobCleanupOutcome.Skipped, [], Mark: false);
        }

        // Just before a job's first deletion, so the claim is as fresh as it can be for the deletion itself.
        if (run.ClaimOwner is not null && !claimConfirmed && !(await ConfirmClaimsAsync(run, [candidate]).ConfigureAwait(false)).Contains(candidate.Id))
        {
            return ChangedSincePlanned(run, candidate);
        }

        var artifacts = new List<ArtifactCleanupResult>();
        var allGone = true;
        var announced = false;
        foreach (var artifactDecision in decision.Artifacts)
        {
            if (artifactDecision.Verdict != ArtifactVerdict.Delete)
            {
                continue;
            }

            var artifact = artifactDecision.Artifact;
            if (Contains(decision.Artifacts, artifact, ArtifactVerdict.Delete))
            {
                continue; // inside another due artifact: deleted (and counted) with it
            }

            var result = FindKeptInside(decision.Artifacts, artifact) is { } kept
                ? new DeletionResult(artifact.Path, DeletionOutcome.Refused, Reason: $"it holds '{kept.Artifact.Path}', which is kept ({kept.Reason})")
                : await DeleteAsync(job.Id, artifact.Path, run.DryRun).ConfigureAwait(false);
            if (!announced && result.Outcome != DeletionOutcome.Missing)
            {
                // Announced on the first artifact that is really there, so jobs whose due data is long gone stay quiet.
                AnnounceJob(decision, run.DryRun);
                announced = true;
            }

            allGone &= result.IsGone;
            LogArtifact(job.Id, result, run.DryRun);
            artifacts.Add(new ArtifactCleanupResult(artifact.Kind, artifact.Path, result.Outcome, result.Bytes, result.Reason) { IsDirectory = result.IsDirectory, AllocatedBytes = result.AllocatedBytes });
        }

        if (!announced && !decision.HasPendingArtifacts)
        {
            AnnounceJob(decision, run.DryRun);
        }

        run.Breaker.Freed(artifacts.Sum(a => a.Bytes));
        if (!allGone)
        {
            return new JobResult(decision, JobCleanupOutcome.Failed, artifacts, Mark: false);
        }

        // Cleaned only when nothing the policy will ever delete remains; data kept forever does not hold the job back.
        if (!decision.HasPendingArtifacts)
        {
            return new JobResult(decision, JobCleanupOutcome.Cleaned, artifacts, Mark: true);
        }

        // Some data is not due yet: not recorded cleaned. When this run found nothing to delete, it did nothing to report.
        return announced
            ? new JobResult(decision, JobCleanupOutcome.PartlyCleaned, artifacts, Mark: false)
            : new JobResult(decision, JobCleanupOutcome.Skipped, artifacts, Mark: false);
    }

    private void AnnounceJob(JobRetentionDecision decision, bool dryRun)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return; // the age and reason are words formatted per job: not for nobody
        }

        var job = decision.Job;
        var age = RetentionPeriod.Describe(decision.Age);
        if (dryRun)
        {
            Log.WouldCleanJob(_logger, job.Id, job.Status.ToWord(), age, decision.Reason);
        }
        else
        {
            Log.CleaningJob(_logger, job.Id, job.Status.ToWord(), age, decision.Reason);
        }
    }

    private async ValueTask<JobRecord> WithAllArtifactsAsync(JobRecord job, ConventionArtifactLocator locator)
    {
        var artifacts = new List<JobArtifact>(job.Artifacts.Count + 2);
        foreach (var artifact in job.Artifacts)
        {
            artifacts.Add(Path.IsPathFullyQualified(artifact.Path) ? artifact : artifact with { Path = Path.GetFullPath(artifact.Path, _basePath) });
        }

        List<AmbiguousArtifact>? ambiguous = null;
        locator.Locate(job.Id, artifacts, ref ambiguous);
        foreach (var candidate in ambiguous ?? [])
        {
            // uploads/a_1_dem.tif is job a's only when there is no job a_1; without a way to ask, it is left alone.
            if (_lookupStore is not null && await NoneExistAsync(candidate.OtherJobIds).ConfigureAwait(false))
            {
                artifacts.Add(candidate.Artifact);
            }
        }

        if (artifacts.Count == 0 && job.Artifacts.Count == 0)
        {
            return job; // most due jobs of a long history: nothing on disk, nothing to copy
        }

        // One path, one deletion, even when the store and a convention both name it.
        if (artifacts.Count > 1)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            artifacts.RemoveAll(a => !seen.Add(Path.TrimEndingDirectorySeparator(a.Path)));
        }

        return job with { Artifacts = artifacts };
    }

    private async Task<bool> NoneExistAsync(IReadOnlyList<string> jobIds)
    {
        foreach (var id in jobIds)
        {
            if (await _lookupStore!.FindJobAsync(id, CancellationToken.None).ConfigureAwait(false) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInside(string path, string directory) =>
        path.Length > directory.Length + 1 && path.StartsWith(directory, StringComparison.Ordinal) && path[directory.Length] == Path.DirectorySeparatorChar;

    private static bool Contains(IReadOnlyList<ArtifactDecision> decisions, JobArtifact artifact, ArtifactVerdict verdict) =>
        decisions.Any(d => d.Verdict == verdict && IsInside(artifact.Path, Path.TrimEndingDirectorySeparator(d.Artifact.Path)));

    // A due directory that holds an artifact the policy keeps cannot be deleted without deleting what is kept.
    private static ArtifactDecision? FindKeptInside(IReadOnlyList<ArtifactDecision> decisions, JobArtifact artifact)
    {
        var directory = Path.TrimEndingDirectorySeparator(artifact.Path);
        foreach (var decision in decisions)
        {
            if (decision.Verdict == ArtifactVerdict.Keep && IsInside(decision.Artifact.Path, directory))
            {
                return decision;
            }
        }

        return null;
    }

    private async ValueTask<DeletionResult> DeleteAsync(string jobId, string path, bool dryRun)
    {
        long bytesEarlier = 0;
        long allocatedEarlier = 0;
        long filesEarlier = 0;
        DeletionResult? lastFailure = null;

        // Staged deletion moves the artifact aside instead; a dry run measures either way.
        var quarantine = !dryRun && _options.Quarantine.Enabled;
        var context = ResilienceContextPool.Shared.Get(dryRun ? "measure artifact" : quarantine ? "quarantine artifact" : "delete artifact", CancellationToken.None);
        try
        {
            return await _pipeline.ExecuteAsync(
                async ctx =>
                {
                    // Never cancelled mid-artifact: a job, once started, finishes.
                    var result = dryRun ? await _deleter.MeasureAsync(path, CancellationToken.None).ConfigureAwait(false)
                        : quarantine ? await _quarantine.QuarantineAsync(jobId, path, CancellationToken.None).ConfigureAwait(false)
                        : await _deleter.DeleteAsync(path, CancellationToken.None).ConfigureAwait(false);
                    if (result.Outcome == DeletionOutcome.Failed && result.IsTransient)
                    {
                        // Bytes a failed deletion freed stay freed: count them once across attempts. A measurement frees
                        // nothing, so its next attempt measures everything again.
                        bytesEarlier += dryRun ? 0 : result.Bytes;
                        allocatedEarlier += dryRun ? 0 : result.AllocatedBytes;
                        filesEarlier += dryRun ? 0 : result.Files;
                        lastFailure = result;
                        throw new TransientRetentionException(result.Reason ?? "transient deletion failure");
                    }

                    return result with { Bytes = result.Bytes + bytesEarlier, Files = result.Files + filesEarlier, AllocatedBytes = result.AllocatedBytes + allocatedEarlier };
                },
                context).ConfigureAwait(false);
        }
        catch (TransientRetentionException) when (lastFailure is not null)
        {
            return dryRun ? lastFailure : lastFailure with { Bytes = bytesEarlier, Files = filesEarlier, AllocatedBytes = allocatedEarlier };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task RecordAsync(RunState run, IReadOnlyList<JobResult?> results)
    {
        var toMark = new List<JobDataCleaned>();
        var toPurge = new List<JobDataCleaned>();
        foreach (var result in results)
        {
            if (result is null || !result.Mark)
            {
                continue;
            }

            var job = result.Decision.Job;
            var tombstone = new JobDataCleaned(job.Id, job.Status, run.Now, Freed(result.Artifacts), result.Artifacts.Count, result.Decision.DecidingRule?.Name, run.RequestedBy) { ExpectedVersion = job.Version };
            (result.Decision.PurgeRecord ? toPurge : toMark).Add(tombstone);
        }

        // Not cancellable: these jobs' data is already gone, and the store must say so.
        if (!run.DryRun && toMark.Count > 0)
        {
            run.Progress.Report(new CleanupProgress(CleanupStage.Recording, run.Stats.JobsScanned, run.Stats.JobsCleaned, run.Stats.BytesFreed, run.DryRun));
            await ExecuteAsync("mark jobs cleaned", ct => _store.MarkDataCleanedAsync(toMark, ct)).ConfigureAwait(false);
            Log.JobsMarked(_logger, toMark.Count);
        }

        if (!run.DryRun && toPurge.Count > 0)
        {
            await ExecuteAsync("purge job records", ct => _purgeStore!.PurgeJobsAsync(toPurge, ct)).ConfigureAwait(false);
            Log.JobsPurged(_logger, toPurge.Count);
        }

        foreach (var result in results)
        {
            if (result is not null)
            {
                run.Add(result, _metrics);
            }
        }

        run.Progress.Report(new CleanupProgress(CleanupStage.Scanning, run.Stats.JobsScanned, run.Stats.JobsCleaned, run.Stats.BytesFreed, run.DryRun));
    }

    private async ValueTask ExecuteAsync(string operation, Func<CancellationToken, ValueTask> action)
    {
        var context = ResilienceContextPool.Shared.Get(operation, CancellationToken.None);
        try
        {
            await _pipeline.ExecuteAsync(static (ctx, a) => a(ctx.CancellationToken), context, action).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void LogArtifact(string jobId, DeletionResult result, bool dryRun)
    {
        if (result.Outcome is not (DeletionOutcome.Refused or DeletionOutcome.Failed) && !_logger.IsEnabled(LogLevel.Information))
        {
            return; // a size in words per artifact, for nobody
        }

        switch (result.Outcome)
        {
            case DeletionOutcome.Deleted:
                Log.ArtifactDeleted(_logger, result.Path, ByteSize.Format(result.Bytes));
                break;
            case DeletionOutcome.Quarantined:
                Log.ArtifactQuarantined(_logger, result.Path, ByteSize.Format(result.Bytes), RetentionPeriod.Describe(_options.Quarantine.GracePeriod));
                break;
            case DeletionOutcome.Measured:
                Log.ArtifactWouldBeDeleted(_logger, result.Path, ByteSize.Format(result.Bytes));
                break;
            case DeletionOutcome.Missing:
                Log.ArtifactMissing(_logger, result.Path);
                break;
            case DeletionOutcome.Refused:
                Log.ArtifactRefused(_logger, result.Path, jobId, result.Reason);
                break;
            default:
                Log.ArtifactFailed(_logger, result.Path, jobId, (dryRun ? "measuring failed: " : string.Empty) + result.Reason);
                break;
        }
    }

    private void LogSummary(RunState run, CleanupStats stats, CleanupOutcome outcome)
    {
        if (outcome != CleanupOutcome.Completed)
        {
            return;
        }

        if (run.DryRun)
        {
            Log.DryRunSummary(_logger, stats.JobsCleaned, ByteSize.Format(stats.BytesFreed));
            return;
        }

        foreach (var (status, count) in stats.JobsCleanedByStatus.OrderBy(p => p.Key))
        {
            Log.CleanedByStatus(_logger, count, status.ToWord(), ByteSize.Format(stats.FreedIn(status)));
        }

        Log.CleanupCompleted(_logger, stats.JobsCleaned, ByteSize.Format(stats.BytesFreed), stats.JobsFailed, stats.Duration.TotalSeconds);
        if (stats.BytesQuarantined > 0)
        {
            Log.QuarantineSummary(_logger, ByteSize.Format(stats.BytesQuarantined), RetentionPeriod.Describe(_options.Quarantine.GracePeriod));
        }
    }

    // Bytes really freed: what went to the quarantine still takes its space until the quarantine is purged.
    private static long Freed(IEnumerable<ArtifactCleanupResult> artifacts) =>
        artifacts.Where(a => a.Outcome != DeletionOutcome.Quarantined).Sum(a => a.Bytes);

    private static string NewRunId(DateTimeOffset now) =>
        "cleanup-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Forwards each progress snapshot to the status and to the caller; a caller's callback that throws is logged, never the run's end.</summary>
    private sealed class SafeProgress(CleanupStatusTracker status, IProgress<CleanupProgress>? inner, ILogger logger) : IProgress<CleanupProgress>
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

    private sealed record JobResult(JobRetentionDecision Decision, JobCleanupOutcome Outcome, List<ArtifactCleanupResult> Artifacts, bool Mark);

    /// <summary>One run's state: its fixed "now", the policy, and the accumulating totals and details.</summary>
    private sealed class RunState(string runId, string? requestedBy, bool dryRun, RetentionPolicy policy, DateTimeOffset now, int maxDetails, IProgress<CleanupProgress> progress)
    {
        public string RunId { get; } = runId;

        public string? ClaimOwner { get; init; }

        public required CircuitBreaker Breaker { get; init; }

        public Coordination.ICleanupLease? Lease { get; init; }

        public bool DryRun { get; } = dryRun;

        public string? RequestedBy { get; } = requestedBy;

        public RetentionPolicy Policy { get; } = policy;

        // One instant for the whole run, so the plan is consistent from the first job to the last.
        public DateTimeOffset Now { get; } = now;

        public IProgress<CleanupProgress> Progress { get; } = progress;

        public IProgress<JobCleanupDetail>? JobFinished { get; init; }

        public required ILogger Logger { get; init; }

        public CleanupStatsBuilder Stats { get; } = new();

        public List<JobCleanupDetail> Details { get; } = [];

        public long DetailsOmitted { get; private set; }

        public void Add(JobResult result, RetentionMetrics metrics)
        {
            if (result.Outcome == JobCleanupOutcome.Skipped && result.Artifacts.Count == 0)
            {
                Stats.AddSkipped(); // counted, not listed, and touched nothing: no detail to build
                return;
            }

            var bytes = Freed(result.Artifacts);
            var detail = new JobCleanupDetail(result.Decision, result.Outcome, bytes, result.Mark && result.Decision.PurgeRecord, result.Artifacts);
            Stats.Add(detail);
            if (!DryRun)
            {
                RecordMetrics(result, metrics);
            }

            if (result.Outcome == JobCleanupOutcome.Skipped)
            {
                return; // counted, not listed: the report lists what the run acted on
            }

            try
            {
                JobFinished?.Report(detail);
            }
            catch (Exception ex)
            {
                Log.ProgressCallbackFailed(Logger, ex, ex.Message);
            }

            if (Details.Count < maxDetails)
            {
                Details.Add(detail.Settled());
            }
            else
            {
                DetailsOmitted++;
            }
        }

        private static void RecordMetrics(JobResult result, RetentionMetrics metrics)
        {
            if (result.Outcome == JobCleanupOutcome.Cleaned)
            {
                metrics.JobsCleaned.Add(1, new KeyValuePair<string, object?>("status", result.Decision.Job.Status.ToWord()));
            }

            foreach (var artifact in result.Artifacts)
            {
                if (artifact.Outcome == DeletionOutcome.Deleted)
                {
                    metrics.BytesFreed.Add(artifact.Bytes, new KeyValuePair<string, object?>("kind", artifact.Kind.Name));
                }
                else if (artifact.Outcome is DeletionOutcome.Refused or DeletionOutcome.Failed)
                {
                    metrics.ArtifactsFailed.Add(1, new KeyValuePair<string, object?>("outcome", artifact.Outcome.ToString().ToLowerInvariant()));
                }
            }
        }
    }
}
