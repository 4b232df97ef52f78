using System.Runtime.InteropServices;

namespace Retention.Deletion.Linux;

/// <summary>
/// From the root to a path's leaf by descriptor: the root checked to be the folder validated at start, each folder on
/// the way opened from the one before, and an honest answer where nothing has the exact bytes asked for.
/// </summary>
internal static unsafe partial class DescriptorDeleter
{
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

    private readonly record struct Located(DeletionResult? Stop, int Parent, byte[] LeafName, LinuxCalls.StatxBuffer Leaf, ulong Device)
    {
        public static Located Stopped(DeletionResult stop) => new(stop, -1, [], default, 0);
    }
}
