namespace Retention.Deletion;

/// <summary>A path that passed the <see cref="SafeDeleter"/>'s checks: it exists, and nothing on its way below the root is a link or a mount point.</summary>
/// <param name="FullPath">The canonical full path.</param>
/// <param name="Root">The root it lies in.</param>
/// <param name="Attributes">The leaf's own attributes (never a link's target's).</param>
/// <param name="Length">A file leaf's size in bytes when it was checked; 0 for a directory.</param>
internal readonly record struct CheckedPath(string FullPath, string Root, FileAttributes Attributes, long Length)
{
    /// <summary>Whether the leaf is a directory.</summary>
    public bool IsDirectory => (Attributes & FileAttributes.Directory) != 0;
}
