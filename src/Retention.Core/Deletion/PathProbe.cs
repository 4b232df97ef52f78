namespace Retention.Deletion;

/// <summary>Questions about a path that never follow a link at its end.</summary>
internal static class PathProbe
{
    /// <summary>Whether anything is at the path itself (lstat semantics): a link counts as present, even a dangling one; a missing path does not.</summary>
    public static bool Exists(string path) =>
        // FileSystemInfo reads lstat and reports a missing path as -1 instead of throwing: a run over a million jobs whose
        // files are gone must not pay for a million exceptions.
        (int)new FileInfo(path).Attributes != -1;
}
