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
internal sealed class JobQuarantine : IJobQuarantine, IDisposable
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

    /// <summary>The job folders of every root's quarantine. A quarantine folder or job folder that is a link is reported, never entered.</summary>
    private List<(string Root, string JobId, string Folder)> JobFolders(List<QuarantineFailure>? failures)
    {
        var folders = new List<(string, string, string)>();
        foreach (var root in _deleter.Roots)
        {
            var quarantine = _deleter.QuarantineFolder(root);
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(quarantine);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                continue; // nothing was ever quarantined in this root
            }

            if ((attributes & (FileAttributes.ReparsePoint | FileAttributes.Directory)) != FileAttributes.Directory)
            {
                failures?.Add(new QuarantineFailure(quarantine, "it is a symbolic link or not a directory; the quarantine never enters it"));
                continue;
            }

            foreach (var entry in new DirectoryInfo(quarantine).EnumerateFileSystemInfos())
            {
                var stop = _deleter.Check(entry.FullName, PathScope.Quarantine, out var folder);
                if (stop is null && folder.IsDirectory)
                {
                    folders.Add((root, entry.Name, entry.FullName));
                }
                else if (stop is { Outcome: DeletionOutcome.Refused or DeletionOutcome.Failed })
                {
                    failures?.Add(new QuarantineFailure(entry.FullName, stop.Reason ?? stop.Outcome.ToString()));
                }
            }
        }

        return folders;
    }

    /// <summary>A job folder's stamps, oldest first, from its stamp folders and manifests; anything else in it is not the quarantine's.</summary>
    private static SortedDictionary<string, DateTimeOffset> Stamps(string jobFolder)
    {
        var stamps = new SortedDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(jobFolder).EnumerateFileSystemInfos())
        {
            var name = entry.Name.EndsWith(QuarantineLayout.ManifestExtension, StringComparison.Ordinal) ? entry.Name[..^QuarantineLayout.ManifestExtension.Length] : entry.Name;
            if (QuarantineLayout.TryParseStamp(name, out var at))
            {
                stamps[name] = at;
            }
        }

        return stamps;
    }

    /// <summary>A stamp's entries whose data is there: a line whose move failed, or whose path was restored, names nothing.</summary>
    private List<QuarantinedEntry> Entries(string root, string jobId, string jobFolder, string stamp, DateTimeOffset at)
    {
        var manifest = Path.Combine(jobFolder, stamp + QuarantineLayout.ManifestExtension);
        if (_deleter.Check(manifest, PathScope.Quarantine, out var file) is not null || file.IsDirectory)
        {
            return [];
        }

        var stampFolder = Path.Combine(jobFolder, stamp);
        var entries = new List<QuarantinedEntry>();
        foreach (var line in QuarantineManifest.Read(manifest))
        {
            var quarantined = Path.Combine(stampFolder, line.Path);
            if (PathProbe.Exists(quarantined))
            {
                entries.Add(new QuarantinedEntry(jobId, Path.Combine(root, line.Path), quarantined, at, line.Bytes));
            }
        }

        return entries;
    }

    private int CountEntries(string root, string jobId, string jobFolder, string stamp, DateTimeOffset at)
    {
        try
        {
            return Entries(root, jobId, jobFolder, stamp, at).Count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // an unreadable manifest does not keep expired data: the stamp folder goes all the same
        }
    }

    /// <summary>A stamp with no data left goes, manifest and all; one that still holds something keeps its manifest for the rest.</summary>
    private async ValueTask TidyStampAsync(string jobFolder, string stamp)
    {
        var stampFolder = Path.Combine(jobFolder, stamp);
        if (_deleter.Check(stampFolder, PathScope.Quarantine, out var folder) is null && folder.IsDirectory)
        {
            RemoveEmptyTree(stampFolder);
        }

        if (!PathProbe.Exists(stampFolder))
        {
            await _deleter.DeleteQuarantinedAsync(stampFolder + QuarantineLayout.ManifestExtension, CancellationToken.None).ConfigureAwait(false);
        }

        RemoveIfEmpty(jobFolder);
    }

    /// <summary>Removes a tree's empty directories, bottom-up; a file, a link or an error keeps its directory and those above it.</summary>
    private static void RemoveEmptyTree(string directory)
    {
        try
        {
            foreach (var sub in new DirectoryInfo(directory).EnumerateDirectories())
            {
                if ((sub.Attributes & FileAttributes.ReparsePoint) == 0)
                {
                    RemoveEmptyTree(sub.FullName);
                }
            }

            Directory.Delete(directory, recursive: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // not empty, or already gone
        }
    }

    private static void RemoveIfEmpty(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // not empty (another stamp, or something that is not the quarantine's), or already gone
        }
    }


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
