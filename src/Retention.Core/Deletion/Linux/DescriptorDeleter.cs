using System.Runtime.InteropServices;

namespace Retention.Deletion.Linux;

/// <summary>
/// Deletes or measures a path below a root by descriptor, as systemd's <c>rm_rf</c> and GNU <c>rm</c>'s fts do: the
/// root is opened once and checked to be the very folder validated at start, every folder on the way and in the tree is
/// opened from its parent's descriptor with <c>O_NOFOLLOW|O_DIRECTORY</c>, entries are removed with <c>unlinkat</c>
/// relative to the folder that lists them. No call ever resolves a path again, so a folder swapped for a link mid-walk
/// is unlinked or refused, never entered; names stay bytes from <c>getdents64</c> to <c>unlinkat</c>; the walk never
/// leaves the root's file system; and depth is bounded by an explicit stack, not by <c>PATH_MAX</c> or recursion.
/// </summary>
internal static unsafe partial class DescriptorDeleter
{
    /// <summary>Deletes (or measures) <paramref name="fullPath"/>, strictly inside <paramref name="root"/>.</summary>
    /// <param name="path">The path as given, for the result.</param>
    /// <param name="fullPath">Its canonical form.</param>
    /// <param name="root">The canonical root it lies in.</param>
    /// <param name="rootIdentity">The root's identity when it was validated.</param>
    /// <param name="delete">Whether to delete, or only measure.</param>
    /// <param name="cancellationToken">Stops the walk between entries.</param>
    /// <returns>The outcome; never throws for anything the file system does.</returns>
    public static DeletionResult Run(string path, string fullPath, string root, FileIdentity rootIdentity, bool delete, CancellationToken cancellationToken)
    {
        var located = Locate(path, fullPath, root, rootIdentity);
        if (located.Stop is { } stop)
        {
            return stop;
        }

        try
        {
            return located.Leaf.IsDirectory
                ? DeleteDirectory(path, fullPath, located, delete, cancellationToken)
                : DeleteFile(path, fullPath, located, delete);
        }
        finally
        {
            LinuxCalls.Close(located.Parent);
        }
    }

    /// <summary>What <see cref="Run"/> would start from: the leaf's own status, or why it may not be touched.</summary>
    public static DeletionResult? Check(string path, string fullPath, string root, FileIdentity rootIdentity, out LinuxCalls.StatxBuffer leaf)
    {
        var located = Locate(path, fullPath, root, rootIdentity);
        leaf = located.Leaf;
        if (located.Stop is null)
        {
            LinuxCalls.Close(located.Parent);
        }

        return located.Stop;
    }

    private static DeletionResult DeleteFile(string path, string fullPath, Located located, bool delete)
    {
        var walk = new TreeWalk(fullPath, delete, located.Device);
        fixed (byte* name = located.LeafName)
        {
            if (delete && LinuxCalls.UnlinkAt(located.Parent, name, 0) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error == LinuxCalls.ENoEnt
                    ? new DeletionResult(path, DeletionOutcome.Missing)
                    : Failed(path, 0, 0, Errors.Describe(error, fullPath), Errors.IsTransient(error));
            }
        }

        walk.CountFile(located.Leaf);
        return walk.Result(path, isDirectory: false);
    }

    private static DeletionResult DeleteDirectory(string path, string fullPath, Located located, bool delete, CancellationToken cancellationToken)
    {
        int directory;
        fixed (byte* name = located.LeafName)
        {
            directory = LinuxCalls.OpenAt(located.Parent, name, LinuxCalls.OpenDirectoryFlags);
        }

        if (directory < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error switch
            {
                LinuxCalls.ENoEnt => new DeletionResult(path, DeletionOutcome.Missing),
                LinuxCalls.ELoop => Refused(path, $"'{fullPath}' is a symbolic link; links are never followed"),
                _ => Failed(path, 0, 0, Errors.Describe(error, fullPath), Errors.IsTransient(error)) with { IsDirectory = true },
            };
        }

        var walk = new TreeWalk(fullPath, delete, located.Device);
        if (walk.EnterTop(directory, cancellationToken) is { } refusal)
        {
            return Refused(path, refusal) with { IsDirectory = true };
        }

        if (delete && !walk.Failed)
        {
            fixed (byte* name = located.LeafName)
            {
                if (LinuxCalls.UnlinkAt(located.Parent, name, LinuxCalls.AtRemoveDir) != 0)
                {
                    walk.Fail(Marshal.GetLastPInvokeError(), fullPath);
                }
            }
        }

        return walk.Result(path, isDirectory: true);
    }

    /// <summary>
    /// Moves <paramref name="source"/> to <paramref name="destination"/>, both strictly inside <paramref name="root"/>, by
    /// descriptor: each side's folder is reached from the root as a deletion reaches it, and the rename never replaces
    /// what is at the destination (<c>RENAME_NOREPLACE</c>). The destination's folder must exist.
    /// </summary>
    /// <returns>The error in words, or <see langword="null"/> when the move was made.</returns>
    public static string? Rename(string source, string destination, string root, FileIdentity rootIdentity)
    {
        if (OpenParent(source, source, root, rootIdentity, out var from, out var fromName, out _) is { } stop)
        {
            return stop.Reason ?? $"'{source}' is not there";
        }

        try
        {
            if (OpenParent(destination, destination, root, rootIdentity, out var to, out var toName, out _) is { } refused)
            {
                return refused.Reason ?? $"the folder of '{destination}' is not there";
            }

            try
            {
                fixed (byte* oldName = fromName)
                fixed (byte* newName = toName)
                {
                    if (LinuxCalls.RenameAt2(from, oldName, to, newName, LinuxCalls.RenameNoReplace) == 0)
                    {
                        return null;
                    }

                    var error = Marshal.GetLastPInvokeError();
                    return error == LinuxCalls.EExist ? $"'{destination}' exists; nothing is overwritten" : Errors.Describe(error, source);
                }
            }
            finally
            {
                LinuxCalls.Close(to);
            }
        }
        finally
        {
            LinuxCalls.Close(from);
        }
    }

    internal static bool Stat(int descriptor, out LinuxCalls.StatxBuffer status)
    {
        byte empty = 0;
        return LinuxCalls.Statx(descriptor, &empty, LinuxCalls.AtEmptyPath | LinuxCalls.AtStatxDontSync, LinuxCalls.StatxBasicStats, out status) == 0;
    }

    internal static bool StatAt(int directory, byte* name, out LinuxCalls.StatxBuffer status) =>
        LinuxCalls.Statx(directory, name, LinuxCalls.AtSymlinkNoFollow | LinuxCalls.AtStatxDontSync, LinuxCalls.StatxBasicStats, out status) == 0;

    internal static DeletionResult Refused(string path, string reason) => new(path, DeletionOutcome.Refused, Reason: reason);

    internal static DeletionResult Failed(string path, long bytes, long files, string reason, bool transient) =>
        new(path, DeletionOutcome.Failed, bytes, files, reason, transient);
}
