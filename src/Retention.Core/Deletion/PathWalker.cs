using System.IO.Enumeration;

namespace Retention.Deletion;

/// <summary>
/// The walk where descriptor-relative calls are not to be had (Windows, macOS): by path, one <c>lstat</c> per component,
/// links unlinked rather than followed, and a second look before descending. It cannot close the window between that
/// look and the listing, nor stay on one file system; <c>docs/safety.md</c> says so.
/// </summary>
internal static class PathWalker
{
    private static readonly EnumerationOptions ListOneLevel = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Every component below the root, the leaf included, a real directory or file and never a link.</summary>
    public static DeletionResult? Check(string path, string fullPath, string root, out FileAttributes leaf, out long length)
    {
        leaf = default;
        length = 0;
        try
        {
            // One lstat each: FileInfo reads the link itself, reports nothing there without an exception (PathProbe.IsMissing)
            // and throws for any other error; the leaf's length comes from the same call.
            var index = root.Length;
            while (true)
            {
                var next = fullPath.IndexOf(Path.DirectorySeparatorChar, index + 1);
                var component = next < 0 ? fullPath : fullPath[..next];
                var info = new FileInfo(component);
                var attributes = info.Attributes;
                if (PathProbe.IsMissing(attributes))
                {
                    return new DeletionResult(path, DeletionOutcome.Missing);
                }

                if ((attributes & FileAttributes.ReparsePoint) != 0)
                {
                    return new DeletionResult(path, DeletionOutcome.Refused, Reason: $"'{component}' is a symbolic link; links are never followed");
                }

                if (next < 0)
                {
                    leaf = attributes;
                    length = (attributes & FileAttributes.Directory) != 0 ? 0 : info.Length;
                    return null;
                }

                index = next;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new DeletionResult(path, DeletionOutcome.Missing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Failure(path, 0, 0, ex);
        }
    }

    /// <summary>Deletes or measures a path that passed <see cref="Check"/>, counting bytes and files in the one walk.</summary>
    public static DeletionResult Walk(string path, string fullPath, FileAttributes leaf, long length, bool delete, CancellationToken cancellationToken)
    {
        var totals = new Totals();
        var isDirectory = (leaf & FileAttributes.Directory) != 0;
        try
        {
            if (isDirectory)
            {
                WalkDirectory(fullPath, delete, ref totals, cancellationToken);
                if (delete && totals.Error is null)
                {
                    Remove(fullPath, isDirectory: true, ref totals);
                }
            }
            else
            {
                if (delete)
                {
                    File.Delete(fullPath);
                }

                totals.Bytes += length;
                totals.Files++;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && !isDirectory)
        {
            return new DeletionResult(path, DeletionOutcome.Missing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            totals.Error ??= ex;
        }

        if (totals.Error is not null)
        {
            return Failure(path, totals.Bytes, totals.Files, totals.Error) with { IsDirectory = isDirectory };
        }

        return new DeletionResult(path, delete ? DeletionOutcome.Deleted : DeletionOutcome.Measured, totals.Bytes, totals.Files) { IsDirectory = isDirectory };
    }

    /// <summary>A failure with the error's words, transient when retrying may help (a busy file) and not for permission denied.</summary>
    public static DeletionResult Failure(string path, long bytes, long files, Exception error)
    {
        var transient = error is IOException and not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException);
        var reason = error is UnauthorizedAccessException ? $"permission denied: {error.Message}" : error.Message;
        return new DeletionResult(path, DeletionOutcome.Failed, bytes, files, reason, transient);
    }

    private static void WalkDirectory(string directory, bool delete, ref Totals totals, CancellationToken cancellationToken)
    {
        // One level at a time, listed before deleting so removal does not disturb the enumeration.
        List<Entry> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<Entry>(directory, static (ref FileSystemEntry e) => Entry.From(ref e), ListOneLevel)];
        }
        catch (DirectoryNotFoundException)
        {
            return; // vanished mid-walk: nothing left to free
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            totals.Error ??= ex;
            return;
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.IsLink)
            {
                // A link is removed as a link; its target is never visited.
                if (delete)
                {
                    Remove(entry.Path, isDirectory: false, ref totals);
                }
                else
                {
                    totals.Files++;
                }
            }
            else if (entry.IsDirectory)
            {
                // Look again just before descending: a directory swapped for a link since the listing is unlinked, not entered.
                if (IsLinkNow(entry.Path))
                {
                    if (delete)
                    {
                        Remove(entry.Path, isDirectory: false, ref totals);
                    }

                    continue;
                }

                WalkDirectory(entry.Path, delete, ref totals, cancellationToken);
                if (delete)
                {
                    Remove(entry.Path, isDirectory: true, ref totals);
                }
            }
            else
            {
                if (!delete || Remove(entry.Path, isDirectory: false, ref totals))
                {
                    totals.Bytes += entry.Length;
                }

                if (!delete)
                {
                    totals.Files++;
                }
            }
        }
    }

    private static bool IsLinkNow(string path)
    {
        try
        {
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // gone or unreadable: the walk below reports it
        }
    }

    private static bool Remove(string path, bool isDirectory, ref Totals totals)
    {
        try
        {
            if (isDirectory)
            {
                Directory.Delete(path, recursive: false);
            }
            else
            {
                File.Delete(path);
                totals.Files++;
            }

            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A directory left non-empty by an earlier failure is a consequence, not a second error.
            totals.Error ??= ex;
            return false;
        }
    }

    private struct Totals
    {
        public long Bytes;
        public long Files;
        public Exception? Error;
    }

    private readonly record struct Entry(string Path, bool IsLink, bool IsDirectory, long Length)
    {
        public static Entry From(ref FileSystemEntry entry)
        {
            var isLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            var isDirectory = !isLink && entry.IsDirectory;
            return new Entry(entry.ToFullPath(), isLink, isDirectory, isLink || isDirectory ? 0 : entry.Length);
        }
    }
}
