using Microsoft.Extensions.Logging;
using Retention.Deletion;
using Retention.Diagnostics;

namespace Retention.Quarantine;

/// <summary>
/// The default <see cref="IJobQuarantine"/>. It does not repeat the deleter's checks, it calls them: the path it moves, each
/// folder it creates, and everything it restores or purges meets the <see cref="SafeDeleter"/>'s own code, and its purge
/// deletes through the deleter's quarantine entry point, in the deleter's walk.
/// </summary>
/// <remarks>
/// One operation at a time in a process: the cleaner quarantines from several threads, and a purge or a restore must not
/// remove a folder that a move is about to use. Processes sharing the roots are not coordinated with each other. Like the
/// deleter, the checks work by path: a link swapped in between a check and the move it allows is not defended against.
/// </remarks>
internal sealed partial class JobQuarantine : IJobQuarantine, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly SafeDeleter _deleter;

    private readonly QuarantineOptions _options;

    private readonly TimeProvider _time;

    private readonly ILogger _logger;

    public JobQuarantine(SafeDeleter deleter, JobCleanupOptions options, JobCleanupSettings settings, TimeProvider timeProvider, ILogger<JobQuarantine> logger)
    {
        // What is validated is what runs: the settings exist only for valid options, so a grace period that is not
        // positive never reaches a purge.
        ArgumentNullException.ThrowIfNull(settings);
        _deleter = deleter;
        _options = options.Quarantine ?? new QuarantineOptions();
        _time = timeProvider;
        _logger = logger;
    }

    public void Dispose() => _gate.Dispose();

    public async ValueTask<DeletionResult> QuarantineAsync(string jobId, string path, CancellationToken cancellationToken = default)
    {
        if (QuarantineLayout.CheckName(jobId) is { } badId)
        {
            return new DeletionResult(path ?? string.Empty, DeletionOutcome.Refused, Reason: $"the job id {badId}, so it cannot name a folder in the quarantine");
        }

        // Exactly the deleter's checks: strictly inside a root, not a root, not in the quarantine, no link on the way.
        if (_deleter.Check(path, PathScope.JobData, out var source) is { } stop)
        {
            return stop;
        }

        // Measured in the deleter's own walk before the move: a link inside is counted as a link, never followed.
        var measured = _deleter.Walk(path, source, delete: false, cancellationToken);
        if (measured.Outcome != DeletionOutcome.Measured)
        {
            return measured;
        }

        var jobFolder = Path.Combine(_deleter.QuarantineFolder(source.Root), jobId);
        var stamp = QuarantineLayout.Stamp(_time.GetUtcNow());
        var relative = source.FullPath[(source.Root.Length + 1)..];
        var destination = Path.Combine(jobFolder, stamp, relative);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (PathProbe.Exists(destination))
            {
                return new DeletionResult(path, DeletionOutcome.Failed, Reason: $"'{destination}' is already in the quarantine; nothing was moved");
            }

            var manifest = Path.Combine(jobFolder, stamp + QuarantineLayout.ManifestExtension);
            if ((PrepareDestination(destination, PathScope.Quarantine, source.Root) ?? CheckManifest(manifest)) is { } refusal)
            {
                await TidyStampAsync(jobFolder, stamp).ConfigureAwait(false);
                return new DeletionResult(path, DeletionOutcome.Refused, Reason: refusal);
            }

            // Listed before the move: a line whose move then fails names nothing, but moved data is never unlisted.
            QuarantineManifest.Append(manifest, new QuarantineManifest.Line(relative, measured.Bytes, measured.Files));
            _deleter.Move(source, destination);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await TidyStampAsync(jobFolder, stamp).ConfigureAwait(false);
            return SafeDeleter.Failure(path, 0, 0, ex) with { IsDirectory = source.IsDirectory };
        }
        finally
        {
            _gate.Release();
        }

        Log.QuarantineMoved(_logger, path, jobId, destination);
        return new DeletionResult(path, DeletionOutcome.Quarantined, measured.Bytes, measured.Files) { IsDirectory = source.IsDirectory };
    }

    public async Task<QuarantinePurgeReport> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = _time.GetUtcNow() - _options.GracePeriod;
        var failures = new List<QuarantineFailure>();
        long entries = 0;
        long bytes = 0;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (root, jobId, jobFolder) in JobFolders(failures))
            {
                foreach (var (stamp, at) in Stamps(jobFolder))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (at >= cutoff)
                    {
                        continue; // still in its grace period
                    }

                    var stampFolder = Path.Combine(jobFolder, stamp);
                    var count = CountEntries(root, jobId, jobFolder, stamp, at);
                    var result = await _deleter.DeleteQuarantinedAsync(stampFolder, cancellationToken).ConfigureAwait(false);
                    bytes += result.Bytes;
                    if (!result.IsGone)
                    {
                        Failed(failures, stampFolder, result.Reason);
                        continue; // its manifest stays, so what is left can still be listed and restored
                    }

                    entries += count;
                    Log.QuarantineStampPurged(_logger, stampFolder, ByteSize.Format(result.Bytes));
                    var manifest = await _deleter.DeleteQuarantinedAsync(stampFolder + QuarantineLayout.ManifestExtension, cancellationToken).ConfigureAwait(false);
                    if (!manifest.IsGone)
                    {
                        Failed(failures, manifest.Path, manifest.Reason);
                    }
                }

                RemoveIfEmpty(jobFolder);
            }
        }
        finally
        {
            _gate.Release();
        }

        return new QuarantinePurgeReport(entries, bytes, failures);
    }

    public async Task<QuarantineRestoreReport> RestoreAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (QuarantineLayout.CheckName(jobId) is { } problem)
        {
            throw new ArgumentException($"The job id {problem}, so nothing of it can be in the quarantine.", nameof(jobId));
        }

        var restored = new List<string>();
        var conflicts = new List<string>();
        var failures = new List<QuarantineFailure>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var root in _deleter.Roots)
            {
                var jobFolder = Path.Combine(_deleter.QuarantineFolder(root), jobId);
                if (_deleter.Check(jobFolder, PathScope.Quarantine, out _) is { } stop)
                {
                    if (stop.Outcome != DeletionOutcome.Missing)
                    {
                        failures.Add(new QuarantineFailure(jobFolder, stop.Reason ?? stop.Outcome.ToString()));
                    }

                    continue;
                }

                // Newest first: a path quarantined twice goes back as it was last, and the older copy is the conflict.
                foreach (var (stamp, at) in Stamps(jobFolder).Reverse())
                {
                    List<QuarantinedEntry> entries;
                    try
                    {
                        entries = Entries(root, jobId, jobFolder, stamp, at);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        failures.Add(new QuarantineFailure(Path.Combine(jobFolder, stamp + QuarantineLayout.ManifestExtension), ex.Message));
                        continue;
                    }

                    foreach (var entry in entries)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Restore(entry, root, restored, conflicts, failures);
                    }

                    await TidyStampAsync(jobFolder, stamp).ConfigureAwait(false);
                }

                RemoveIfEmpty(jobFolder);
            }
        }
        finally
        {
            _gate.Release();
        }

        return new QuarantineRestoreReport(jobId, restored, conflicts, failures);
    }

    public async Task<IReadOnlyList<QuarantinedEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<QuarantinedEntry>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (root, jobId, jobFolder) in JobFolders(failures: null))
            {
                foreach (var (stamp, at) in Stamps(jobFolder))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    entries.AddRange(Entries(root, jobId, jobFolder, stamp, at));
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return [.. entries.OrderBy(e => e.QuarantinedAt).ThenBy(e => e.JobId, StringComparer.Ordinal).ThenBy(e => e.OriginalPath, StringComparer.Ordinal)];
    }

    private void Restore(QuarantinedEntry entry, string root, List<string> restored, List<string> conflicts, List<QuarantineFailure> failures)
    {
        try
        {
            if (_deleter.Check(entry.QuarantinedPath, PathScope.Quarantine, out var source) is { } stop)
            {
                if (stop.Outcome != DeletionOutcome.Missing)
                {
                    RestoreFailed(failures, entry, stop.Reason ?? stop.Outcome.ToString());
                }

                return;
            }

            // Never overwrites: whatever is at the original path now (a link included) wins, and the copy stays quarantined.
            if (PathProbe.Exists(entry.OriginalPath))
            {
                conflicts.Add(entry.OriginalPath);
                Log.QuarantineRestoreConflict(_logger, entry.OriginalPath, entry.JobId, entry.QuarantinedPath);
                return;
            }

            if (PrepareDestination(entry.OriginalPath, PathScope.JobData, root) is { } refusal)
            {
                RestoreFailed(failures, entry, refusal);
                return;
            }

            _deleter.Move(source, entry.OriginalPath);
            restored.Add(entry.OriginalPath);
            Log.QuarantineRestored(_logger, entry.OriginalPath, entry.JobId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RestoreFailed(failures, entry, ex.Message);
        }
    }

    /// <summary>
    /// Where a move may land: nothing there, no link on the way, on the scope's side of the quarantine folder. Missing parents
    /// are created only after that check (creating follows links), then checked again.
    /// </summary>
    private string? PrepareDestination(string destination, PathScope scope, string root)
    {
        var stop = _deleter.Check(destination, scope, out _);
        if (stop is null)
        {
            return $"'{destination}' exists";
        }

        if (stop.Outcome != DeletionOutcome.Missing)
        {
            return stop.Reason ?? stop.Outcome.ToString();
        }

        var parent = Path.GetDirectoryName(destination)!;
        if (string.Equals(parent, root, StringComparison.Ordinal))
        {
            return null;
        }

        Directory.CreateDirectory(parent);
        if (_deleter.Check(parent, scope, out var created) is { } after)
        {
            return after.Reason ?? $"'{parent}' could not be created";
        }

        return created.IsDirectory ? null : $"'{parent}' is not a directory";
    }

    // A manifest is appended to only when it is a real file (or not there yet): never through a link.
    private string? CheckManifest(string manifest) =>
        _deleter.Check(manifest, PathScope.Quarantine, out var file) switch
        {
            null when file.IsDirectory => $"'{manifest}' is a directory",
            null => null,
            { Outcome: DeletionOutcome.Missing } => null,
            var stop => stop.Reason,
        };

    private void Failed(List<QuarantineFailure> failures, string path, string? reason)
    {
        failures.Add(new QuarantineFailure(path, reason ?? "unknown error"));
        Log.QuarantinePurgeFailed(_logger, path, reason);
    }

    private void RestoreFailed(List<QuarantineFailure> failures, QuarantinedEntry entry, string reason)
    {
        failures.Add(new QuarantineFailure(entry.OriginalPath, reason));
        Log.QuarantineRestoreFailed(_logger, entry.OriginalPath, entry.JobId, reason);
    }
}
