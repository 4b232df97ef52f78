using Retention.Deletion;

namespace Retention.Quarantine;

/// <summary>Reading the quarantine's folders: job folders, their stamps and entries, and tidying what a stamp leaves empty.</summary>
internal sealed partial class JobQuarantine
{
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
}
