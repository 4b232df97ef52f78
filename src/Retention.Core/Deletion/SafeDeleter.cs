using Retention.Deletion.Linux;
using Retention.Quarantine;

namespace Retention.Deletion;

/// <summary>
/// The default <see cref="ISafeDeleter"/>: checks a path lexically, then, on Linux, opens its root and walks down to it
/// and through its tree by descriptor (<c>openat</c> with <c>O_NOFOLLOW</c>, <c>unlinkat</c>), so no racing writer can
/// redirect it: a link is unlinked or refused, never entered; a mount point is refused; names stay bytes; a file's bytes
/// count as freed only when its last link goes. It refuses each root's quarantine folder
/// (<see cref="QuarantineOptions.FolderName"/>): only the quarantine deletes there, through its own entry point.
/// </summary>
/// <remarks>
/// The walk is synchronous file-system work; callers that want parallelism run several deletions at once. Where
/// descriptor-relative calls are not to be had (Windows, macOS), it walks by path with a look before each descent,
/// which narrows but cannot close the window a racing writer has; <c>docs/safety.md</c> says what that leaves.
/// </remarks>
public sealed class SafeDeleter : ISafeDeleter
{
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
    /// the root, the leaf included, a real directory or file on the root's file system and never a link.
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
        if (_roots.IdentityOf(root) is { } identity)
        {
            if (DescriptorDeleter.Check(path, fullPath, root, identity, out var leaf) is { } stop)
            {
                return stop;
            }

            target = new CheckedPath(fullPath, root, leaf.IsDirectory ? FileAttributes.Directory : FileAttributes.Normal, leaf.IsDirectory ? 0 : (long)leaf.Size);
            return null;
        }

        if (PathWalker.Check(path, fullPath, root, out var attributes, out var length) is { } fallbackStop)
        {
            return fallbackStop;
        }

        target = new CheckedPath(fullPath, root, attributes, length);
        return null;
    }

    /// <summary>
    /// Deletes or measures a path that passed <see cref="Check"/>, counting bytes and files in the one walk. Where the
    /// system has descriptor-relative calls, the path is walked again from its root by descriptor, so what was checked
    /// is what is deleted whatever changed in between.
    /// </summary>
    /// <param name="path">The path as given, for the result.</param>
    /// <param name="target">What <see cref="Check"/> found.</param>
    /// <param name="delete">Whether to delete, or only measure.</param>
    /// <param name="cancellationToken">Stops the walk between entries.</param>
    /// <returns><see cref="DeletionOutcome.Deleted"/> or <see cref="DeletionOutcome.Measured"/> with the totals, or why not.</returns>
    internal DeletionResult Walk(string path, CheckedPath target, bool delete, CancellationToken cancellationToken) =>
        _roots.IdentityOf(target.Root) is { } identity
            ? DescriptorDeleter.Run(path, target.FullPath, target.Root, identity, delete, cancellationToken)
            : PathWalker.Walk(path, target.FullPath, target.Attributes, target.Length, delete, cancellationToken);

    private DeletionResult Run(string path, bool delete, PathScope scope, CancellationToken cancellationToken)
    {
        if (CheckLexically(path, scope, out var fullPath) is { } refusal)
        {
            return new DeletionResult(path ?? string.Empty, DeletionOutcome.Refused, Reason: refusal);
        }

        // By descriptor: one pass from the root, nothing resolved twice.
        var root = _roots.FindContainingRoot(fullPath)!;
        if (_roots.IdentityOf(root) is { } identity)
        {
            return DescriptorDeleter.Run(path, fullPath, root, identity, delete, cancellationToken);
        }

        return PathWalker.Check(path, fullPath, root, out var attributes, out var length)
            ?? PathWalker.Walk(path, fullPath, attributes, length, delete, cancellationToken);
    }

    /// <summary>
    /// Moves a path that passed <see cref="Check"/> to <paramref name="destination"/> in the same root, never replacing what
    /// is there: the quarantine's moves and restores. By descriptor where the system has the calls, so the move happens
    /// from and to the folders that were checked; elsewhere a rename by path.
    /// </summary>
    /// <exception cref="IOException">The move failed; the message says why.</exception>
    internal void Move(CheckedPath source, string destination)
    {
        if (!destination.StartsWith(source.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new IOException($"'{destination}' is not inside the root '{source.Root}'; a move stays in its root");
        }

        if (_roots.IdentityOf(source.Root) is { } identity)
        {
            if (DescriptorDeleter.Rename(source.FullPath, destination, source.Root, identity) is { } error)
            {
                throw new IOException(error);
            }

            return;
        }

        // A rename within the root's filesystem: nothing is copied, and neither call overwrites.
        if (source.IsDirectory)
        {
            Directory.Move(source.FullPath, destination);
        }
        else
        {
            File.Move(source.FullPath, destination, overwrite: false);
        }
    }

    /// <summary>A failure with the error's words, transient when retrying may help (a busy file) and not for permission denied.</summary>
    internal static DeletionResult Failure(string path, long bytes, long files, Exception error) => PathWalker.Failure(path, bytes, files, error);
}
