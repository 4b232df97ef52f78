using System.IO.Enumeration;
using Retention.Quarantine;

namespace Retention.Deletion;

/// <summary>
/// The default <see cref="ISafeDeleter"/>: checks a path lexically and component by component, then walks the tree
/// depth-first, unlinking links instead of following them and summing file sizes as it deletes. It refuses each root's
/// quarantine folder (<see cref="QuarantineOptions.FolderName"/>): only the quarantine deletes there, through its own entry point.
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
    private readonly string _quarantineFolderName;

    /// <summary>Creates a deleter confined to <paramref name="roots"/>, keeping out of the default quarantine folder.</summary>
    /// <param name="roots">The validated roots.</param>
    public SafeDeleter(DeletionRoots roots)
        : this(roots, null)
    {
    }

    /// <summary>Creates a deleter confined to <paramref name="roots"/>.</summary>
    /// <param name="roots">Absolute paths of existing directories.</param>
    /// <exception cref="RetentionConfigurationException">A root is unusable.</exception>
    public SafeDeleter(IEnumerable<string> roots)
        : this(new DeletionRoots(roots))
    {
    }

    /// <summary>Creates a deleter confined to <paramref name="roots"/>, keeping out of the quarantine folder named <paramref name="quarantineFolderName"/>.</summary>
    /// <exception cref="RetentionConfigurationException">The name is not a single plain directory name.</exception>
    internal SafeDeleter(DeletionRoots roots, string? quarantineFolderName)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots;
        _quarantineFolderName = quarantineFolderName ?? JobCleanupDefaults.QuarantineFolderName;
        if (QuarantineLayout.CheckName(_quarantineFolderName) is { } problem)
        {
            throw new RetentionConfigurationException($"{JobCleanupOptions.SectionName}:Quarantine:FolderName: {problem}.");
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Roots => _roots.Paths;

    /// <inheritdoc />
    public ValueTask<DeletionResult> DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        new(Run(path, delete: true, PathScope.JobData, cancellationToken));

    /// <inheritdoc />
    public ValueTask<DeletionResult> MeasureAsync(string path, CancellationToken cancellationToken = default) =>
        new(Run(path, delete: false, PathScope.JobData, cancellationToken));

    /// <summary>Checks a path without touching it: the refusal a deletion would meet, or <see langword="null"/> when it may proceed.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The refusal, or <see langword="null"/>.</returns>
    public string? CheckLexically(string path) => CheckLexically(path, PathScope.JobData, out _);

    private string? CheckLexically(string? path, PathScope scope, out string fullPath)
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

        var root = _roots.FindContainingRoot(fullPath);
        if (root is null)
        {
            return $"'{path}' is outside the configured roots ({string.Join(", ", _roots.Paths)})";
        }

        // Quarantined data is the quarantine's alone: a deletion never reaches into it, and the quarantine never reaches out.
        var quarantine = QuarantineFolder(root);
        var inQuarantine = fullPath.Length > quarantine.Length + 1 && fullPath.StartsWith(quarantine, StringComparison.Ordinal) && fullPath[quarantine.Length] == Path.DirectorySeparatorChar;
        if (scope == PathScope.JobData && (inQuarantine || string.Equals(fullPath, quarantine, StringComparison.Ordinal)))
        {
            return $"'{path}' is in the quarantine folder '{quarantine}'; only the quarantine restores or purges what is there";
        }

        if (scope == PathScope.Quarantine && !inQuarantine)
        {
            return $"'{path}' is not inside the quarantine folder '{quarantine}'";
        }

        return null;
    }

    /// <summary>The quarantine's entry point: deletes a path strictly inside a root's quarantine folder, with every other check and the same walk.</summary>
    internal ValueTask<DeletionResult> DeleteQuarantinedAsync(string path, CancellationToken cancellationToken) =>
        new(Run(path, delete: true, PathScope.Quarantine, cancellationToken));

    /// <summary>The quarantine folder at the top of <paramref name="root"/> (a canonical root).</summary>
    internal string QuarantineFolder(string root) => root + Path.DirectorySeparatorChar + _quarantineFolderName;

    /// <summary>
    /// The checks every deletion meets, shared with the quarantine so that its moves meet exactly the same ones: lexically
    /// strictly inside a root and on the <paramref name="scope"/>'s side of its quarantine folder, then every component below
    /// the root, the leaf included, a real directory or file and never a link.
    /// </summary>
    /// <param name="path">The path as given.</param>
    /// <param name="scope">Whether the path must be outside the quarantine folder (job data) or inside it.</param>
    /// <param name="target">When the path may be touched: its canonical form, its root and the leaf's attributes.</param>
    /// <returns><see cref="DeletionOutcome.Refused"/>, <see cref="DeletionOutcome.Missing"/> or <see cref="DeletionOutcome.Failed"/> when it may not be touched; <see langword="null"/> when it may.</returns>
    internal DeletionResult? Check(string path, PathScope scope, out CheckedPath target)
    {
        target = default;
        if (CheckLexically(path, scope, out var fullPath) is { } refusal)
        {
            return new DeletionResult(path ?? string.Empty, DeletionOutcome.Refused, Reason: refusal);
        }

        var root = _roots.FindContainingRoot(fullPath)!;
        FileAttributes leaf;
        long length;
        try
        {
            // Every component below the root, the leaf included, must be a real directory or file, never a link. One
            // lstat each: FileInfo reads the link itself, reports nothing there without an exception (PathProbe.IsMissing)
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

        target = new CheckedPath(fullPath, root, leaf, length);
        return null;
    }

    /// <summary>Deletes or measures a path that passed <see cref="Check"/>, counting bytes and files in the one walk.</summary>
    /// <param name="path">The path as given, for the result.</param>
    /// <param name="target">What <see cref="Check"/> found.</param>
    /// <param name="delete">Whether to delete, or only measure.</param>
    /// <param name="cancellationToken">Stops the walk between entries.</param>
    /// <returns><see cref="DeletionOutcome.Deleted"/> or <see cref="DeletionOutcome.Measured"/> with the totals, or the failure.</returns>
    internal static DeletionResult Walk(string path, CheckedPath target, bool delete, CancellationToken cancellationToken)
    {
        var fullPath = target.FullPath;
        var leaf = target.Attributes;
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
                if (delete)
                {
                    File.Delete(fullPath);
                }

                totals.Bytes += target.Length;
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

    private DeletionResult Run(string path, bool delete, PathScope scope, CancellationToken cancellationToken) =>
        Check(path, scope, out var target) ?? Walk(path, target, delete, cancellationToken);

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

    /// <summary>A failure with the error's words, transient when retrying may help (a busy file) and not for permission denied.</summary>
    internal static DeletionResult Failure(string path, long bytes, long files, Exception error)
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
