namespace Retention.Deletion;

/// <summary>The validated, canonical set of directories that deletion is confined to.</summary>
public sealed class DeletionRoots
{
    private readonly string[] _roots;

    /// <summary>Validates and canonicalizes the roots.</summary>
    /// <param name="roots">Absolute paths of existing directories.</param>
    /// <exception cref="RetentionConfigurationException">A root is empty, missing, a filesystem root or a home directory; the message lists every problem.</exception>
    public DeletionRoots(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var problems = new List<string>();
        var canonical = new List<string>();
        foreach (var root in roots)
        {
            if (Validate(root) is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                canonical.Add(Canonicalize(root));
            }
        }

        if (problems.Count > 0)
        {
            throw new RetentionConfigurationException("Invalid deletion roots: " + string.Join("; ", problems));
        }

        foreach (var (inner, outer) in Nested(canonical))
        {
            problems.Add($"'{inner}' is inside root '{outer}'; nested roots would let one root's cleanup delete the other");
        }

        if (problems.Count > 0)
        {
            throw new RetentionConfigurationException("Invalid deletion roots: " + string.Join("; ", problems));
        }

        if (canonical.Count == 0)
        {
            throw new RetentionConfigurationException("No deletion roots are configured; add the directories that hold job data (for example uploads and results).");
        }

        _roots = canonical.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The canonical roots: full paths without a trailing separator.</summary>
    public IReadOnlyList<string> Paths => _roots;

    /// <summary>Checks one root; returns the problem in words, or <see langword="null"/> when it is usable.</summary>
    /// <param name="root">The configured path.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Validate(string? root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            return "a root is empty";
        }

        string full;
        try
        {
            full = Canonicalize(root);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"'{root}' is not a valid path ({ex.Message})";
        }

        var fileSystemRoot = Path.GetPathRoot(full);
        if (fileSystemRoot is not null && string.Equals(Path.TrimEndingDirectorySeparator(fileSystemRoot), Path.TrimEndingDirectorySeparator(full), StringComparison.Ordinal))
        {
            return $"'{root}' is a filesystem root; name the directory that holds job data instead";
        }

        foreach (var home in HomeDirectories())
        {
            if (string.Equals(home, full, StringComparison.Ordinal) || home.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return $"'{root}' is a home directory or contains one; name the directory that holds job data instead";
            }
        }

        if (!Directory.Exists(full))
        {
            return $"'{root}' does not exist or is not a directory";
        }

        return null;
    }

    /// <summary>Pairs of canonical roots where the first lies strictly inside the second.</summary>
    internal static IEnumerable<(string Inner, string Outer)> Nested(IReadOnlyList<string> canonicalRoots)
    {
        foreach (var inner in canonicalRoots)
        {
            foreach (var outer in canonicalRoots)
            {
                if (inner.Length > outer.Length + 1 && inner.StartsWith(outer, StringComparison.Ordinal) && inner[outer.Length] == Path.DirectorySeparatorChar)
                {
                    yield return (inner, outer);
                }
            }
        }
    }

    /// <summary>Finds the root strictly containing <paramref name="fullPath"/>.</summary>
    internal string? FindContainingRoot(string fullPath)
    {
        foreach (var root in _roots)
        {
            if (fullPath.Length > root.Length + 1
                && fullPath.StartsWith(root, StringComparison.Ordinal)
                && fullPath[root.Length] == Path.DirectorySeparatorChar)
            {
                return root;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="fullPath"/> is one of the roots itself.</summary>
    internal bool IsRoot(string fullPath) => Array.Exists(_roots, r => string.Equals(r, fullPath, StringComparison.Ordinal));

    internal static string Canonicalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? Path.TrimEndingDirectorySeparator(full) : full;
    }

    private static IEnumerable<string> HomeDirectories()
    {
        foreach (var home in new[] { Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Environment.GetEnvironmentVariable("HOME") })
        {
            if (!string.IsNullOrWhiteSpace(home))
            {
                yield return Canonicalize(home);
            }
        }
    }
}
