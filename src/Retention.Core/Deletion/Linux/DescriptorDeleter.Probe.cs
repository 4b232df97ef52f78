using System.Runtime.InteropServices;

namespace Retention.Deletion.Linux;

/// <summary>Whether the descriptor walk can run here, and what a path is (its identity, where it really leads).</summary>
internal static unsafe partial class DescriptorDeleter
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
}
