namespace Retention.Deletion;

/// <summary>Questions about a path that never follow a link at its end.</summary>
internal static class PathProbe
{
    /// <summary>Whether anything is at the path itself (lstat semantics): a link counts as present, even a dangling one; a missing path does not.</summary>
    public static bool Exists(string path) => !IsMissing(new FileInfo(path).Attributes);

    /// <summary>
    /// Whether <see cref="FileSystemInfo.Attributes"/> (read with lstat) says nothing is there: it reports a missing path as
    /// -1 instead of throwing, so a run over a million jobs whose files are gone does not pay for a million exceptions.
    /// </summary>
    public static bool IsMissing(FileAttributes attributes) => (int)attributes == -1;
}
