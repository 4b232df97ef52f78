using System.Runtime.InteropServices;

namespace Retention.Deletion.Linux;

/// <summary>What an <c>errno</c> means for a deletion: its words, and whether a retry may help.</summary>
internal static class Errors
{
    /// <summary>The error in words, with the path it met; permission problems start with "permission denied".</summary>
    public static string Describe(int error, string path)
    {
        var message = Marshal.GetPInvokeErrorMessage(error);
        return error is LinuxCalls.EAcces or LinuxCalls.EPerm or LinuxCalls.ERoFs
            ? $"permission denied: '{path}': {message}"
            : $"'{path}': {message}";
    }

    /// <summary>
    /// Whether retrying may help: a busy file, a folder a writer filled again, a process out of descriptors. Not permission
    /// denied, a read-only file system or a name too long: those stay as they are until someone changes something.
    /// </summary>
    public static bool IsTransient(int error) =>
        error is not (LinuxCalls.EAcces or LinuxCalls.EPerm or LinuxCalls.ERoFs or LinuxCalls.ENameTooLong or LinuxCalls.ENoSys);

    /// <summary>The refusal for a mount point met on the way or in the tree.</summary>
    public static string MountPoint(string path) =>
        $"'{path}' is a mount point (another file system, or a bind mount); deletion never crosses into one";
}
