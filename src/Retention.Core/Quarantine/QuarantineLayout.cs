using System.Globalization;

namespace Retention.Quarantine;

/// <summary>
/// Where quarantined data lives: <c>{root}/{folder}/{jobId}/{stamp}/{path relative to the root}</c>, and beside each stamp
/// folder its manifest, <c>{stamp}.jsonl</c>, because the folders under a stamp do not say where an artifact began.
/// </summary>
internal static class QuarantineLayout
{
    /// <summary>The manifest's extension, after the stamp.</summary>
    public const string ManifestExtension = ".jsonl";

    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Checks that <paramref name="name"/> is one plain directory name (a folder name, or a job id used as one).</summary>
    /// <returns>The problem in words, or <see langword="null"/>.</returns>
    public static string? CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "must be a directory name, not empty";
        }

        if (name is "." or "..")
        {
            return $"'{name}' is not a directory name";
        }

        // Both separators on every platform: a name that is plain here stays plain on the other.
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            return $"'{name}' must be a single directory name, without path separators";
        }

        return null;
    }

    /// <summary>The stamp folder's name for a move made at <paramref name="at"/>.</summary>
    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a stamp folder's name back; anything else in a job folder is not the quarantine's and is left alone.</summary>
    public static bool TryParseStamp(string name, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(name, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    /// <summary>Whether a manifest's path is relative and stays below where it is joined (no rooted path, no '.', '..' or empty segment).</summary>
    public static bool IsPlainRelativePath(string? relative)
    {
        if (string.IsNullOrEmpty(relative) || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var segment in relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a directory is laid out as a quarantine, whatever its name: a job folder in it holds a stamp manifest.
    /// A quarantine left behind by a renamed <c>FolderName</c> still holds data within its grace period; nothing may sweep it.
    /// </summary>
    public static bool LooksLikeQuarantine(DirectoryInfo directory)
    {
        try
        {
            foreach (var job in directory.EnumerateDirectories())
            {
                foreach (var manifest in job.EnumerateFiles("*" + ManifestExtension))
                {
                    if (TryParseStamp(Path.GetFileNameWithoutExtension(manifest.Name), out _))
                    {
                        return true;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return false;
    }
}
