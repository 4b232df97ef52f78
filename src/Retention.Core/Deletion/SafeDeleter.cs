using System.IO.Enumeration;

namespace Retention.Deletion;

/// <summary>
/// The default <see cref="ISafeDeleter"/>: checks a path lexically and component by component, then walks the tree
/// depth-first, unlinking links instead of following them and summing file sizes as it deletes.
/// </summary>
/// <remarks>
/// The walk is synchronous file-system work; callers that want parallelism run several deletions at once.
/// The walk decides link-or-directory from each directory entry and looks again just before descending, so a link is
/// unlinked, never entered. A process that swaps a directory for a link in the instant between that second look and
/// the listing is not defended against: closing that window needs descriptor-relative calls (openat, unlinkat).
/// </remarks>
public sealed class SafeDeleter : ISafeDeleter
{
    private static readonly EnumerationOptions ListOneLevel = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    private readonly DeletionRoots _roots;

    /// <summary>Creates a deleter confined to <paramref name="roots"/>.</summary>
    /// <param name="roots">The validated roots.</param>
    public SafeDeleter(DeletionRoots roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots;
    }

    /// <summary>Creates a deleter confined to <paramref name="roots"/>.</summary>
    /// <param name="roots">Absolute paths of existing directories.</param>
    /// <exception cref="RetentionConfigurationException">A root is unusable.</exception>
    public SafeDeleter(IEnumerable<string> roots)
        : this(new DeletionRoots(roots))
    {
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Roots => _roots.Paths;

    /// <inheritdoc />
    public ValueTask<DeletionResult> DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        new(Run(path, delete: true, cancellationToken));

    /// <inheritdoc />
    public ValueTask<DeletionResult> MeasureAsync(string path, CancellationToken cancellationToken = default) =>
        new(Run(path, delete: false, cancellationToken));

    /// <summary>Checks a path without touching it: the refusal a deletion would meet, or <see langword="null"/> when it may proceed.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The refusal, or <see langword="null"/>.</returns>
    public string? CheckLexically(string path) => CheckLexically(path, out _);

    private string? CheckLexically(string? path, out string fullPath)
    {
        fullPath = string.Empty;
        if (string.IsNullOrWhiteSpace(path))
        {
            return "the path is empty";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "the path contains a NUL character";
        }

        if (!Path.IsPathFullyQualified(path))
        {
            return $"'{path}' is not an absolute path";
        }

        foreach (var segment in path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (segment == "..")
            {
                return $"'{path}' contains a '..' segment";
            }
        }

        fullPath = DeletionRoots.Canonicalize(path);
        if (_roots.IsRoot(fullPath))
        {
            return $"'{path}' is a configured root; a root itself is never deleted";
        }

        if (_roots.FindContainingRoot(fullPath) is null)
        {
            return $"'{path}' is outside the configured roots ({string.Join(", ", _roots.Paths)})";
        }

        return null;
    }

    private DeletionResult Run(string path, bool delete, CancellationToken cancellationToken)
    {
        if (CheckLexically(path, out var fullPath) is { } refusal)
        {
            return new DeletionResult(path ?? string.Empty, DeletionOutcome.Refused, Reason: refusal);
        }

        var root = _roots.FindContainingRoot(fullPath)!;
        FileAttributes leaf;
        try
        {
            // Every component below the root, the leaf included, must be a real directory or file, never a link.
            var index = root.Length;
            while (true)
            {
                var next = fullPath.IndexOf(Path.DirectorySeparatorChar, index + 1);
                var component = next < 0 ? fullPath : fullPath[..next];
                var attributes = File.GetAttributes(component);
                if ((attributes & FileAttributes.ReparsePoint) != 0)
                {
                    return new DeletionResult(path, DeletionOutcome.Refused, Reason: $"'{component}' is a symbolic link; links are never followed");
                }

                if (next < 0)
                {
                    leaf = attributes;
                    break;
                }

                index = next;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new DeletionResult(path, DeletionOutcome.Missing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failure(path, 0, 0, ex);
        }

        var totals = new Totals();
        if ((leaf & FileAttributes.Directory) != 0)
        {
            WalkDirectory(fullPath, delete, ref totals, cancellationToken);
            if (delete && totals.Error is null)
            {
                Remove(fullPath, isDirectory: true, ref totals);
            }
        }
        else
        {
            try
            {
                var length = new FileInfo(fullPath).Length;
                if (delete)
                {
                    File.Delete(fullPath);
                }

                totals.Bytes += length;
                totals.Files++;
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return new DeletionResult(path, DeletionOutcome.Missing);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                totals.Error = ex;
            }
        }

        var isDirectory = (leaf & FileAttributes.Directory) != 0;
        if (totals.Error is not null)
        {
            return Failure(path, totals.Bytes, totals.Files, totals.Error) with { IsDirectory = isDirectory };
        }

        return new DeletionResult(path, delete ? DeletionOutcome.Deleted : DeletionOutcome.Measured, totals.Bytes, totals.Files) { IsDirectory = isDirectory };
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

    private static DeletionResult Failure(string path, long bytes, long files, Exception error)
    {
        var transient = error is IOException and not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException);
        var reason = error is UnauthorizedAccessException ? $"permission denied: {error.Message}" : error.Message;
        return new DeletionResult(path, DeletionOutcome.Failed, bytes, files, reason, transient);
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
