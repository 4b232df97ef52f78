using Retention.Deletion;
using Retention.Quarantine;
using Retention.Stores;

namespace Retention.Orphans;

/// <summary>
/// The default <see cref="IOrphanSweeper"/>. It holds every job id and artifact path in memory for the sweep
/// (tens of megabytes at a million jobs), then looks at each root's top-level entries once.
/// </summary>
internal sealed class OrphanSweeper(IReferencedPathStore store, ISafeDeleter deleter, JobCleanupOptions options, JobCleanupSettings settings, TimeProvider time, Diagnostics.RetentionMetrics? metrics = null) : IOrphanSweeper
{
    private readonly JobCleanupSettings _settings = settings;

    public async Task<OrphanSweepReport> SweepAsync(OrphanSweepRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var basePath = Path.GetFullPath(options.BasePath ?? Environment.CurrentDirectory);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var id in store.GetAllJobIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id);
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var path in store.GetAllArtifactPathsAsync(cancellationToken).ConfigureAwait(false))
        {
            // Every ancestor of a recorded artifact is referenced too: results/extra holds results/extra/job-1.log.
            for (var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, basePath)); !string.IsNullOrEmpty(full) && referenced.Add(full); full = Path.GetDirectoryName(full))
            {
            }
        }

        var quarantineFolder = (options.Quarantine ?? new QuarantineOptions()).FolderName;
        var cutoff = time.GetUtcNow() - request.MinimumAge;
        var orphans = new List<OrphanedPath>();
        var tooYoung = 0;
        foreach (var root in deleter.Roots)
        {
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.LinkTarget is not null || referenced.Contains(entry.FullName) || ClaimedByConvention(root, entry.Name, ids))
                {
                    continue; // a link is never touched; a referenced path is not an orphan
                }

                if (string.Equals(entry.Name, quarantineFolder, StringComparison.Ordinal)
                    || (entry is DirectoryInfo directory && QuarantineLayout.LooksLikeQuarantine(directory)))
                {
                    continue; // a quarantine (this one, or one a renamed FolderName left): purged after its grace period, never swept
                }

                var isDirectory = (entry.Attributes & FileAttributes.Directory) != 0;
                var lastWrite = isDirectory ? NewestWrite((DirectoryInfo)entry) : entry.LastWriteTimeUtc;
                if (lastWrite > cutoff)
                {
                    tooYoung++;
                    continue;
                }

                var result = request.Delete
                    ? await deleter.DeleteAsync(entry.FullName, cancellationToken).ConfigureAwait(false)
                    : await deleter.MeasureAsync(entry.FullName, cancellationToken).ConfigureAwait(false);
                orphans.Add(new OrphanedPath(entry.FullName, isDirectory, result.Bytes, lastWrite, result.Outcome, result.Reason));
                metrics?.OrphansFound.Add(1, new KeyValuePair<string, object?>("mode", request.Delete ? "delete" : "list"));
                if (result.Outcome == DeletionOutcome.Deleted)
                {
                    metrics?.OrphansDeleted.Add(1);
                }
            }
        }

        return new OrphanSweepReport([.. orphans.OrderBy(o => o.LastWrite)], tooYoung, request.Delete);
    }

    private bool ClaimedByConvention(string root, string name, HashSet<string> ids)
    {
        var separator = Path.DirectorySeparatorChar;
        foreach (var convention in _settings.Conventions)
        {
            var directory = Path.TrimEndingDirectorySeparator(convention.Directory);
            if (!directory.StartsWith(root, StringComparison.Ordinal))
            {
                continue; // another root's convention
            }

            if (directory.Length > root.Length)
            {
                // A convention inside a subdirectory (sub/{jobId}_*) claims that subdirectory as a whole.
                if (directory[(root.Length + 1)..].Split(separator)[0] == name)
                {
                    return true;
                }

                continue;
            }

            if (convention.IsPrefix)
            {
                // {jobId}_*: claimed when the name starts with some job's id followed by the separator.
                for (var at = name.IndexOf(convention.After, StringComparison.Ordinal); at > 0; at = name.IndexOf(convention.After, at + 1, StringComparison.Ordinal))
                {
                    if (ids.Contains(name[..at]))
                    {
                        return true;
                    }
                }

                continue;
            }

            if (convention.Before.Contains(separator, StringComparison.Ordinal))
            {
                // logs/{jobId}.log: the logs directory as a whole.
                if (convention.Before.Split(separator)[0] == name)
                {
                    return true;
                }

                continue;
            }

            // {jobId} or {jobId}.log or {jobId}/output: the first segment is the id between the fixed parts.
            var tail = convention.After.Split(separator)[0];
            if (name.Length > convention.Before.Length + tail.Length
                && name.StartsWith(convention.Before, StringComparison.Ordinal)
                && name.EndsWith(tail, StringComparison.Ordinal)
                && ids.Contains(name[convention.Before.Length..^tail.Length]))
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset NewestWrite(DirectoryInfo directory)
    {
        var newest = directory.LastWriteTimeUtc;
        foreach (var entry in directory.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }))
        {
            if (entry.LastWriteTimeUtc > newest)
            {
                newest = entry.LastWriteTimeUtc;
            }
        }

        return new DateTimeOffset(newest, TimeSpan.Zero);
    }
}
