using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Retention.Tests.Support;

/// <summary>
/// Files made as a hostile or careless writer would: names as raw bytes (not UTF-8), trees deeper than <c>PATH_MAX</c>,
/// hard links, mounts. Through libc directly, since .NET's own path APIs cannot express them.
/// </summary>
internal static partial class RawFiles
{
    private const int AtFdCwd = -100;
    private const int OCreat = 0x40;
    private const int OWrOnly = 1;

    /// <summary>Whether the process may mount (root on Linux): the mount tests need it.</summary>
    public static bool CanMount => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Creates a file named by <paramref name="name"/>'s exact bytes inside <paramref name="directory"/>, with <paramref name="bytes"/> zero bytes.</summary>
    public static void CreateFile(string directory, byte[] name, int bytes)
    {
        var fd = open(Join(directory, name), OCreat | OWrOnly, Convert.ToInt32("644", 8));
        Check(fd, "open");
        if (bytes > 0)
        {
            Check(ftruncate(fd, bytes), "ftruncate");
        }

        Check(close(fd), "close");
    }

    /// <summary>Creates a folder named by <paramref name="name"/>'s exact bytes inside <paramref name="directory"/>.</summary>
    public static void CreateDirectory(string directory, byte[] name) => Check(mkdir(Join(directory, name), Convert.ToInt32("755", 8)), "mkdir");

    /// <summary>Whether an entry with exactly these bytes exists in <paramref name="directory"/> (lstat).</summary>
    public static bool Exists(string directory, byte[] name) => faccessat(AtFdCwd, Join(directory, name), 0, 0x100) == 0;

    /// <summary>A chain of <paramref name="depth"/> folders named <c>d</c> under <paramref name="top"/>, with a file at the bottom, made by descriptor.</summary>
    public static void CreateDeepTree(string top, int depth, int fileBytes)
    {
        var fd = open(Encoding.UTF8.GetBytes(top + "\0"), 0x10000 /* O_DIRECTORY */, 0);
        Check(fd, "open");
        var d = "d\0"u8.ToArray();
        for (var i = 0; i < depth; i++)
        {
            Check(mkdirat(fd, d, Convert.ToInt32("755", 8)), "mkdirat");
            var next = openat(fd, d, 0x10000, 0);
            Check(next, "openat");
            Check(close(fd), "close");
            fd = next;
        }

        var file = openat(fd, "bottom\0"u8.ToArray(), OCreat | OWrOnly, Convert.ToInt32("644", 8));
        Check(file, "openat");
        Check(ftruncate(file, fileBytes), "ftruncate");
        Check(close(file), "close");
        Check(close(fd), "close");
    }

    /// <summary>A second name for a file (a hard link).</summary>
    public static void HardLink(string existing, string newName) =>
        Check(link(Encoding.UTF8.GetBytes(existing + "\0"), Encoding.UTF8.GetBytes(newName + "\0")), "link");

    /// <summary>Runs <c>mount</c> with the arguments; the caller unmounts with <see cref="Unmount"/>.</summary>
    public static void Mount(params string[] arguments) => Run("mount", arguments);

    /// <summary>Unmounts, lazily, so a test never leaves a mount behind.</summary>
    public static void Unmount(string path) => Run("umount", ["-l", path]);

    private static void Run(string command, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)}: {error}");
        }
    }

    private static byte[] Join(string directory, byte[] name) => [.. Encoding.UTF8.GetBytes(directory + "/"), .. name, 0];

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

#pragma warning disable SYSLIB1054, CA5392, CA2101, IDE1006 // plain libc calls for test fixtures
    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int openat(int dirfd, byte[] path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir(byte[] path, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdirat(int dirfd, byte[] path, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int faccessat(int dirfd, byte[] path, int mode, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int ftruncate(int fd, long length);

    [DllImport("libc", SetLastError = true)]
    private static extern int link(byte[] existing, byte[] newName);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc")]
    private static extern uint geteuid();
#pragma warning restore SYSLIB1054, CA5392, CA2101, IDE1006
}
