namespace Retention.Deletion;

/// <summary>Questions about a path that never follow a link at its end.</summary>
internal static class PathProbe
{
    /// <summary>Whether anything is at the path itself (lstat semantics): a link counts as present, even a dangling one; a missing path does not.</summary>
    public static bool Exists(string path)
    {
        try
        {
            _ = File.GetAttributes(path);
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
