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
internal static unsafe class DescriptorDeleter
{
    private static readonly Lazy<bool> Supported = new(Probe);

    /// <summary>Whether this system has the calls (Linux with <c>statx</c> and <c>getdents64</c>: glibc 2.30 or later, Linux 4.11 or later).</summary>
    public static bool IsSupported => Supported.Value;

    /// <summary>The identity of a folder by its path, read with the same call the walk uses; <see langword="null"/> when it cannot be read.</summary>
    public static FileIdentity? IdentityOf(string path)
    {
        if (NativeName.EncodeWithNul(path) is not { } bytes)
        {
            return null;
        }

        fixed (byte* name = bytes)
        {
            return LinuxCalls.Statx(LinuxCalls.AtFdCwd, name, LinuxCalls.AtSymlinkNoFollow, LinuxCalls.StatxBasicStats, out var status) == 0 ? status.Identity : null;
        }
    }

    /// <summary>The path with every link resolved (<c>realpath</c>), or <see langword="null"/> when it cannot be resolved.</summary>
    public static string? RealPath(string path)
    {
        if (NativeName.EncodeWithNul(path) is not { } bytes)
        {
            return null;
        }

        fixed (byte* name = bytes)
        {
            var resolved = LinuxCalls.RealPath(name, null);
            if (resolved == 0)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringUTF8(resolved);
            }
            finally
            {
                LinuxCalls.Free(resolved);
            }
        }
    }

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

    // Opens the root, checks it is the folder validated at start, then opens each folder below it by descriptor, and
    // reads the leaf's own status. Returns the leaf's parent open (the caller closes it), or why to stop.
    private static Located Locate(string path, string fullPath, string root, FileIdentity rootIdentity)
    {
        if (OpenParent(path, fullPath, root, rootIdentity, out var directory, out var leafName, out var leafText) is { } stopped)
        {
            return Located.Stopped(stopped);
        }

        fixed (byte* name = leafName)
        {
            if (!StatAt(directory, name, out var leaf))
            {
                var error = Marshal.GetLastPInvokeError();
                var stop = error == LinuxCalls.ENoEnt
                    ? MissingOrUnnameable(path, directory, leafText)
                    : Failed(path, 0, 0, Errors.Describe(error, fullPath), Errors.IsTransient(error));
                LinuxCalls.Close(directory);
                return Located.Stopped(stop);
            }

            if (leaf.IsLink)
            {
                LinuxCalls.Close(directory);
                return Located.Stopped(Refused(path, $"'{fullPath}' is a symbolic link; links are never followed"));
            }

            if (leaf.IsDirectory && (leaf.Identity.Device != rootIdentity.Device || leaf.IsMountRoot))
            {
                LinuxCalls.Close(directory);
                return Located.Stopped(Refused(path, Errors.MountPoint(fullPath)) with { IsDirectory = true });
            }

            // A name holding U+FFFD may be how a name that is not UTF-8 reads once decoded: then the one meant is not sure.
            if (leafText.Contains('\uFFFD', StringComparison.Ordinal) && Unnameable(path, directory, leafText) is { } unsure)
            {
                LinuxCalls.Close(directory);
                return Located.Stopped(unsure);
            }

            return new Located(null, directory, leafName, leaf, rootIdentity.Device);
        }
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

    // Opens the root, checks it is the very folder validated at start, and opens each folder below it down to the
    // leaf's parent, each from the one before with O_NOFOLLOW and on the root's file system. The caller closes the parent.
    private static DeletionResult? OpenParent(string path, string fullPath, string root, FileIdentity rootIdentity, out int directory, out byte[] leafName, out string leafText)
    {
        directory = -1;
        leafName = [];
        leafText = string.Empty;
        var relative = fullPath[(root.Length + 1)..];
        if (NativeName.EncodeWithNul(relative) is not { } bytes)
        {
            return Refused(path, $"'{path}' is not valid Unicode, so it names no file exactly");
        }

        var rootBytes = NativeName.EncodeWithNul(root)!;
        fixed (byte* rootName = rootBytes)
        {
            directory = LinuxCalls.OpenAt(LinuxCalls.AtFdCwd, rootName, LinuxCalls.OpenDirectoryFlags);
        }

        if (directory < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return Failed(path, 0, 0, $"the root '{root}' cannot be opened: {Errors.Describe(error, root)}", Errors.IsTransient(error));
        }

        if (!Stat(directory, out var status) || status.Identity != rootIdentity)
        {
            LinuxCalls.Close(directory);
            directory = -1;
            return Refused(path, $"the root '{root}' is no longer the folder validated at start (moved or replaced); nothing is deleted through it");
        }

        // Each '/' becomes the NUL that ends the component before it, so every name is passed in place.
        var components = relative.Split('/');
        var start = 0;
        for (var c = 0; c < components.Length - 1; c++)
        {
            var end = Array.IndexOf(bytes, (byte)'/', start);
            bytes[end] = 0;
            var shown = root + "/" + string.Join('/', components, 0, c + 1);
            int next;
            fixed (byte* name = &bytes[start])
            {
                next = LinuxCalls.OpenAt(directory, name, LinuxCalls.OpenDirectoryFlags);
                if (next < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    var stop = error switch
                    {
                        LinuxCalls.ENoEnt => MissingOrUnnameable(path, directory, components[c]),
                        LinuxCalls.ELoop => Refused(path, $"'{shown}' is a symbolic link; links are never followed"),
                        LinuxCalls.ENotDir => NotAFolder(path, directory, name, shown),
                        _ => Failed(path, 0, 0, Errors.Describe(error, shown), Errors.IsTransient(error)),
                    };
                    LinuxCalls.Close(directory);
                    directory = -1;
                    return stop;
                }
            }

            LinuxCalls.Close(directory);
            directory = next;
            if (!Stat(directory, out status) || status.Identity.Device != rootIdentity.Device || status.IsMountRoot)
            {
                LinuxCalls.Close(directory);
                directory = -1;
                return Refused(path, Errors.MountPoint(shown));
            }

            start = end + 1;
        }

        leafName = bytes.AsSpan(start).ToArray();
        leafText = components[^1];
        return null;
    }

    // A file where a folder of the path should be means the path is not there; anything else (a link, a folder again
    // because a writer swapped it back, an error) is not a sure "missing", and a job is never marked cleaned on a guess.
    private static DeletionResult NotAFolder(string path, int directory, byte* name, string shown)
    {
        if (!StatAt(directory, name, out var status))
        {
            var error = Marshal.GetLastPInvokeError();
            return error == LinuxCalls.ENoEnt ? new DeletionResult(path, DeletionOutcome.Missing) : Failed(path, 0, 0, Errors.Describe(error, shown), transient: true);
        }

        if (status.IsLink)
        {
            return Refused(path, $"'{shown}' is a symbolic link; links are never followed");
        }

        return status.IsDirectory
            ? Failed(path, 0, 0, $"'{shown}' changed while it was being opened", transient: true)
            : new DeletionResult(path, DeletionOutcome.Missing);
    }

    // Nothing by these exact bytes. "Missing" is the truth unless a name that is not UTF-8 reads the same: then the job's
    // file is there under bytes no string can name, and calling it gone would mark the job cleaned while it stays.
    private static DeletionResult MissingOrUnnameable(string path, int directory, string leaf) =>
        leaf.Contains('\uFFFD', StringComparison.Ordinal) && Unnameable(path, directory, leaf) is { } refusal
            ? refusal
            : new DeletionResult(path, DeletionOutcome.Missing);

    private static DeletionResult? Unnameable(string path, int directory, string leaf)
    {
        var entries = DirectoryEntries.Read(directory, out var error);
        if (entries is null)
        {
            return Failed(path, 0, 0, Errors.Describe(error, path), Errors.IsTransient(error));
        }

        return entries.HasUndecodableNameReadingAs(leaf)
            ? Refused(path, $"a name in its folder is not valid UTF-8 and reads as '{leaf}' once decoded; it cannot be named exactly, so it is left for an operator")
            : null;
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

    // Linux, an architecture whose flags are known, every call present (statx: Linux 4.11; getdents64: glibc 2.30;
    // renameat2: glibc 2.28), and, as proof that the flags are right, a link that openat refuses to follow.
    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !LinuxCalls.FlagsKnown)
        {
            return false;
        }

        try
        {
            byte* root = stackalloc byte[] { (byte)'/', 0 };
            if (LinuxCalls.Statx(LinuxCalls.AtFdCwd, root, LinuxCalls.AtSymlinkNoFollow, LinuxCalls.StatxBasicStats, out _) != 0)
            {
                return false; // ENOSYS: a kernel older than 4.11
            }

            byte buffer = 0;
            LinuxCalls.GetDents64(-1, &buffer, 0); // EBADF, but the entry point is there
            LinuxCalls.RenameAt2(-1, &buffer, -1, &buffer, 0);
            return RefusesLinks();
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    // /proc/self is a link wherever procfs is mounted; elsewhere a link is made in a temporary folder.
    private static bool RefusesLinks()
    {
        if (RefusesLink(LinuxCalls.AtFdCwd, "/proc/self"u8) is { } answer)
        {
            return answer;
        }

        DirectoryInfo folder;
        try
        {
            folder = Directory.CreateTempSubdirectory("retention-probe-");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        try
        {
            var path = NativeName.EncodeWithNul(folder.FullName)!;
            int directory;
            fixed (byte* name = path)
            {
                directory = LinuxCalls.OpenAt(LinuxCalls.AtFdCwd, name, LinuxCalls.OpenDirectoryFlags);
            }

            if (directory < 0)
            {
                return false;
            }

            try
            {
                byte* target = stackalloc byte[] { (byte)'.', 0 };
                byte* link = stackalloc byte[] { (byte)'l', 0 };
                return LinuxCalls.SymlinkAt(target, directory, link) == 0 && RefusesLink(directory, "l"u8) == true;
            }
            finally
            {
                LinuxCalls.Close(directory);
            }
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A temporary folder left behind is not worth failing over.
            }
        }
    }

    // Whether openat with the walk's flags refuses the link at name; null when name is not a link.
    private static bool? RefusesLink(int directory, ReadOnlySpan<byte> name)
    {
        Span<byte> terminated = stackalloc byte[name.Length + 1];
        name.CopyTo(terminated);
        terminated[^1] = 0;
        fixed (byte* path = terminated)
        {
            if (!StatAt(directory, path, out var status) || !status.IsLink)
            {
                return null;
            }

            var opened = LinuxCalls.OpenAt(directory, path, LinuxCalls.OpenDirectoryFlags);
            if (opened >= 0)
            {
                LinuxCalls.Close(opened);
                return false; // it followed the link: these flags are not this system's
            }

            return Marshal.GetLastPInvokeError() is LinuxCalls.ELoop or LinuxCalls.ENotDir;
        }
    }

    private readonly record struct Located(DeletionResult? Stop, int Parent, byte[] LeafName, LinuxCalls.StatxBuffer Leaf, ulong Device)
    {
        public static Located Stopped(DeletionResult stop) => new(stop, -1, [], default, 0);
    }
}
