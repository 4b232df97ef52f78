using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Retention.Artifacts;
using Retention.Diagnostics;
using Retention.Policies;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// One run, top to bottom: purge the quarantine's expired data, stream the candidates, process them batch by batch,
/// record each batch, release what was claimed and not cleaned, then report, count and keep the run in the history.
/// It owns the run's state and the channels between its three overlapping stages.
/// </summary>
internal sealed class CleanupRun
{
    private readonly CleanupEngine _engine;
    private readonly BatchProcessor _processor;
    private readonly BatchRecorder _recorder;
    private readonly CleanupRequest _request;
    private readonly RunState _state;

    public CleanupRun(CleanupEngine engine, BatchProcessor processor, BatchRecorder recorder, CleanupRequest request, CleanupRunProgress claim, IProgress<CleanupProgress> progress)
    {
        _engine = engine;
        _processor = processor;
        _recorder = recorder;
        _request = request;
        var dryRun = claim.Progress.DryRun;

        // A shared store claims what this run streams (a dry run writes nothing, so claims nothing).
        _state = new RunState(claim.RunId, request.RequestedBy, dryRun, request.Policy ?? engine.Settings.Policy, claim.StartedAt, engine.Options.MaxReportedJobs, progress)
        {
            JobFinished = request.JobFinished,
            Logger = engine.Logger,
            ClaimOwner = dryRun || engine.Stores.Claims is null ? null : claim.RunId,
            Lease = request.Lease,
            Breaker = new CircuitBreaker(engine.Options.CircuitBreaker),
        };
    }

    public async Task<CleanupReport> RunAsync(CancellationToken cancellationToken)
    {
        var run = _state;
        var logger = _engine.Logger;

        // A leader that loses its lock stops as a stop would: before its next job, with every finished job recorded.
        using var leaseLink = _request.Lease is { } lease ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost) : null;
        cancellationToken = leaseLink?.Token ?? cancellationToken;
        var clock = Stopwatch.StartNew();
        using var activity = RetentionTelemetry.ActivitySource.StartActivity("retention.cleanup");
        activity?.SetTag("retention.run_id", run.RunId);
        activity?.SetTag("retention.dry_run", run.DryRun);
        activity?.SetTag("retention.trigger", _request.Trigger);
        if (run.DryRun)
        {
            Log.DryRunStarting(logger, run.RunId, _request.Trigger);
        }
        else
        {
            Log.CleanupStarting(logger, run.RunId, _request.Trigger);
        }

        var outcome = CleanupOutcome.Completed;
        string? error = null;
        IReadOnlyList<UnmappedStatusWord> unmapped = [];
        RecordsTrimmed? trimmed = null;
        try
        {
            unmapped = await StatusWordCheck.RunAsync(_engine, cancellationToken).ConfigureAwait(false);
            if (!run.DryRun)
            {
                await PurgeQuarantineAsync(cancellationToken).ConfigureAwait(false);
                trimmed = await TrimRecordsAsync(cancellationToken).ConfigureAwait(false);
            }

            await MassDeletionGuard.ApplyAsync(_engine, run, _request).ConfigureAwait(false);
            await CleanCandidatesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CircuitBreakerTrippedException tripped)
        {
            outcome = CleanupOutcome.LimitReached;
            error = tripped.Message;
            Log.CircuitBreakerTripped(logger, run.RunId, tripped.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = CleanupOutcome.Cancelled;
            if (_request.Lease is { Lost.IsCancellationRequested: true } lost)
            {
                error = $"Lost the leader lock '{lost.Name}'.";
                Log.LeaseLost(logger, run.RunId, lost.Name);
            }

            Log.CleanupCancelled(logger, run.Stats.JobsCleaned, ByteSize.Format(run.Stats.BytesFreed));
        }
        catch (Exception ex)
        {
            // Reported, not thrown: the caller (a schedule, an endpoint) gets a report saying what was done before the error.
            outcome = CleanupOutcome.Failed;
            error = NotRecorded(run.Unrecorded, ex.Message) ?? ex.Message;
            Log.CleanupFailed(logger, ex, run.Stats.JobsCleaned, ex.Message);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
        }
        finally
        {
            await ReleaseClaimsAsync().ConfigureAwait(false);
        }

        var stats = run.Stats.Build(run.DryRun, clock.Elapsed);
        run.Progress.Report(new CleanupProgress(CleanupStage.Finished, stats.JobsScanned, stats.JobsCleaned, stats.BytesFreed, run.DryRun));
        LogSummary(stats, outcome);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant());
        _engine.Metrics.Runs.Add(1, outcomeTag, new KeyValuePair<string, object?>("dry_run", run.DryRun));
        _engine.Metrics.RunDuration.Record(clock.Elapsed.TotalSeconds, outcomeTag);
        var report = new CleanupReport
        {
            RunId = run.RunId,
            Trigger = _request.Trigger,
            RequestedBy = _request.RequestedBy,
            RequestedFrom = _request.RequestedFrom,
            DryRun = run.DryRun,
            StartedAt = run.Now,
            FinishedAt = run.Now + clock.Elapsed,
            Outcome = outcome,
            Error = error,
            Stats = stats,
            Jobs = run.Details,
            JobsOmitted = run.DetailsOmitted,
            UnmappedStatuses = unmapped,
            UnrecordedJobIds = run.Unrecorded,
            RecordsTrimmed = trimmed,
        };
        await RecordRunAsync(report).ConfigureAwait(false);
        return report;
    }

    // A run that deleted data it could not record says so first, naming the jobs: their records still say they hold data
    // until the next run, which finds nothing left to delete and records them.
    private string? NotRecorded(IReadOnlyList<string> unrecorded, string error)
    {
        if (unrecorded.Count == 0)
        {
            return null;
        }

        const int named = 20;
        var ids = string.Join(", ", unrecorded.Take(named)) + (unrecorded.Count > named ? $" and {unrecorded.Count - named} more" : string.Empty);
        Log.JobsNotRecorded(_engine.Logger, unrecorded.Count, string.Join(", ", unrecorded));
        return $"The data of {unrecorded.Count} job(s) was deleted but they could not be recorded cleaned: {error} The next run records them: {ids}.";
    }

    // Quarantined data past its grace period goes first, whether or not quarantining is still enabled: turning it off must
    // not leave data in the quarantine forever. A purge that breaks is logged; it does not stop the run's own cleanup.
    private async Task PurgeQuarantineAsync(CancellationToken cancellationToken)
    {
        try
        {
            var purge = await _engine.Quarantine.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
            _state.Stats.AddQuarantinePurge(purge.BytesFreed);
            if (purge.EntriesDeleted > 0 || purge.BytesFreed > 0)
            {
                Log.QuarantinePurged(_engine.Logger, purge.EntriesDeleted, RetentionPeriod.Describe(_engine.Options.Quarantine.GracePeriod), ByteSize.Format(purge.BytesFreed));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.QuarantinePurgeError(_engine.Logger, ex, ex.Message);
        }
    }

    // The library's own records age out with the data: audit rows and run history past RecordRetention. Like the
    // quarantine purge, a trim that breaks is logged and does not stop the run.
    private async Task<RecordsTrimmed?> TrimRecordsAsync(CancellationToken cancellationToken)
    {
        var keep = _engine.Options.RecordRetention;
        if (_engine.Stores.Records is not { } records || keep == TimeSpan.Zero)
        {
            return null;
        }

        try
        {
            // Never the runs the mass-deletion guard reads: on a site that runs monthly, 90 days hold too few of them.
            var cutoff = _state.Now - keep;
            var runsCutoff = cutoff;
            if (_engine.Stores.Runs is { } history && await MassDeletionGuard.RecentCleaningRunsAsync(_engine, history).ConfigureAwait(false) is [.., var oldest] && oldest.StartedAt < cutoff)
            {
                runsCutoff = oldest.StartedAt;
            }

            var trimmed = await records.TrimRecordsAsync(cutoff, runsCutoff, cancellationToken).ConfigureAwait(false);
            if (trimmed.AuditRows > 0 || trimmed.Runs > 0)
            {
                Log.RecordsTrimmed(_engine.Logger, trimmed.AuditRows, trimmed.Runs, RetentionPeriod.Describe(keep));
            }

            return trimmed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RecordTrimFailed(_engine.Logger, ex, ex.Message);
            return null;
        }
    }

    private async Task CleanCandidatesAsync(CancellationToken cancellationToken)
    {
        var run = _state;
        var policy = run.Policy;
        if (policy.CandidateStatuses.Count == 0)
        {
            return; // no rule ever deletes anything
        }

        var stores = _engine.Stores;
        if (stores.Purge is null && policy.Rules.Any(r => r.Action == RetentionAction.PurgeRecord))
        {
            throw new RetentionConfigurationException($"The policy has a purge rule but the store ({stores.Jobs.GetType().Name}) does not implement {nameof(IJobPurgeStore)}; implement it or use RetentionAction.DeleteArtifacts.");
        }

        var batchSize = _engine.Options.BatchSize;
        DateTimeOffset Before(TimeSpan retention) => retention >= run.Now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : run.Now - retention;

        // Each status by its own shortest retention, so a claiming store claims only jobs that may be due, not every job
        // past the policy's shortest retention (a failed job's 12 hours must not claim every succeeded job younger than 7 days).
        var query = new CleanupCandidateQuery(policy.CandidateStatuses, Before(policy.ShortestRetention), batchSize)
        {
            FinishedBeforeByStatus = policy.CandidateStatuses.ToDictionary(s => s, s => Before(policy.ShortestRetentionOf(s))),
            IncludeRanks = policy.Rules.Any(r => r.Period.Kind == RetentionPeriodKind.KeepLast),
            ClaimOwner = run.ClaimOwner,
            // A live run never reads held jobs; a dry run reads them with their holds, to say which hold keeps each.
            ExcludeHeldAt = run.DryRun ? null : run.Now,
            Fence = run.Lease is { FencingToken: { } token } lease ? new LeaseFence(lease.Name, token) : null,
        };
        if (stores.Counter is { } counter)
        {
            // One count up front gives the status a percentage; the stream itself never needs it.
            long count = 0;
            await _engine.ExecuteAsync("count candidates", async ct => count = await counter.CountCleanupCandidatesAsync(query, ct).ConfigureAwait(false)).ConfigureAwait(false);
            _engine.Status.Counted(count);
        }

        // Three stages overlap, each in order: the store's stream is read a batch ahead; a batch is processed (its
        // deletions in parallel); the batches processed so far are recorded meanwhile. The queue is bounded to about a
        // thousand jobs' results: a run holds a few batches, never the run.
        var locator = ConventionArtifactLocator.ForRun(_engine.Settings.Conventions, _engine.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<List<JobRecord>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var processed = Channel.CreateBounded<JobResult?[]>(new BoundedChannelOptions(Math.Clamp(1024 / batchSize, 2, 16)) { SingleReader = true, SingleWriter = true });
        var reader = CandidateReader.ReadAsync(ct => stores.Jobs.GetCleanupCandidatesAsync(query, ct), batchSize, batches.Writer, _engine.Logger, stop.Token);
        var recorder = _recorder.RecordAllAsync(run, processed);
        var recordingGaveUp = false;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // While the last batches cannot be recorded (a locked database), no more data is deleted; once the
                // recorder has given up, none at all (the wait for it below surfaces its error).
                if (!await run.Recording.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    recordingGaveUp = true;
                    break;
                }

                var (results, cancelled) = await _processor.ProcessAsync(run, batch, locator, cancellationToken).ConfigureAwait(false);

                // Recorded even when cancelled: a deleted job must not look uncleaned. A recorder that failed has closed
                // the queue with its error, which the wait for it below surfaces; this batch's deleted jobs are then
                // reported as not recorded.
                try
                {
                    await processed.Writer.WriteAsync(results, CancellationToken.None).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    run.AddUnrecorded(results);
                    throw;
                }

                if (cancelled)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                run.Breaker.ThrowIfTripped();
            }

            if (!recordingGaveUp)
            {
                await reader.ConfigureAwait(false); // the store's error, if the stream ended with one
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            processed.Writer.TryComplete();
            await recorder.ConfigureAwait(false); // everything processed is recorded before the run ends
            await CandidateReader.ObserveAsync(reader).ConfigureAwait(false);
        }
    }

    // Jobs this run claimed but did not clean (kept, failed, not reached) go back to the pool at once, not at the timeout.
    private async Task ReleaseClaimsAsync()
    {
        if (_state.ClaimOwner is not { } owner)
        {
            return;
        }

        try
        {
            await _engine.ExecuteAsync("release claims", ct => _engine.Stores.Claims!.ReleaseClaimsAsync(owner, ct)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ClaimReleaseFailed(_engine.Logger, ex, _state.RunId, ex.Message);
        }
    }

    private async Task RecordRunAsync(CleanupReport report)
    {
        if (_engine.Stores.Runs is not { } runs)
        {
            return;
        }

        try
        {
            await _engine.ExecuteAsync("record run", ct => runs.RecordRunAsync(report, ct)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The run's work is done and recorded job by job; a lost history row is logged, not fatal.
            Log.RunHistoryFailed(_engine.Logger, ex, report.RunId);
        }
    }

    private void LogSummary(CleanupStats stats, CleanupOutcome outcome)
    {
        if (outcome != CleanupOutcome.Completed)
        {
            return;
        }

        var logger = _engine.Logger;
        if (_state.DryRun)
        {
            Log.DryRunSummary(logger, stats.JobsCleaned, ByteSize.Format(stats.BytesFreed));
            return;
        }

        foreach (var (status, count) in stats.JobsCleanedByStatus.OrderBy(p => p.Key))
        {
            Log.CleanedByStatus(logger, count, status.ToWord(), ByteSize.Format(stats.FreedIn(status)));
        }

        Log.CleanupCompleted(logger, stats.JobsCleaned, ByteSize.Format(stats.BytesFreed), stats.JobsFailed, stats.Duration.TotalSeconds);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            using var process = Process.GetCurrentProcess();
            Log.MemoryUsed(logger, ByteSize.Format(GC.GetTotalMemory(false)), ByteSize.Format(process.WorkingSet64), ByteSize.Format(process.PeakWorkingSet64), GC.CollectionCount(2));
        }

        if (stats.BytesQuarantined > 0)
        {
            Log.QuarantineSummary(logger, ByteSize.Format(stats.BytesQuarantined), RetentionPeriod.Describe(_engine.Options.Quarantine.GracePeriod));
        }
    }
}
