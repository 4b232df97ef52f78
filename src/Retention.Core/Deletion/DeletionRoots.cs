using Retention.Deletion.Linux;

namespace Retention.Deletion;

/// <summary>
/// The validated, canonical set of directories that deletion is confined to. Each root is checked by what it is, not by
/// how it is spelled: it must exist, may not be a link nor pass through one, and may not be the file system's root, a
/// home folder or a system folder (<c>/tmp</c>, <c>/usr</c>, <c>/etc</c>, ...), compared by device and inode where the
/// system says them. A relative root is resolved against a base path that is named, never the working folder.
/// </summary>
public sealed class DeletionRoots
{
    // Folders that hold more than one application's data, or the system itself: never a root, whatever they are called.
    private static readonly string[] SystemFolders =
    [
        "/tmp", "/var/tmp", "/usr", "/etc", "/var", "/proc", "/dev", "/boot", "/home", "/root", "/run", "/sys",
        "/bin", "/sbin", "/lib", "/lib64", "/opt", "/srv", "/mnt", "/media", "/private", "/private/tmp", "/private/var",
        "/Users", "/System", "/Library", "/Applications", "/Volumes",
    ];

    // The system's own trees: nothing inside them is an application's job data either.
    private static readonly string[] SystemTrees = ["/proc", "/sys", "/dev", "/boot", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/System"];

    // What the system folders are on this machine, read once: every root is compared with them at start.
    private static readonly Lazy<(string Folder, FileIdentity Identity)[]> SystemIdentities = new(() =>
        [.. SystemFolders.Select(f => (f, DescriptorDeleter.IdentityOf(f))).Where(p => p.Item2 is not null).Select(p => (p.f, p.Item2!.Value))]);

    private readonly string[] _roots;
    private readonly Dictionary<string, FileIdentity> _identities = new(StringComparer.Ordinal);

    /// <summary>Validates and canonicalizes absolute roots.</summary>
    /// <param name="roots">Absolute paths of existing directories.</param>
    /// <exception cref="RetentionConfigurationException">A root is unusable; the message lists every problem.</exception>
    public DeletionRoots(IEnumerable<string> roots)
        : this(roots, basePath: null)
    {
    }

    /// <summary>Validates and canonicalizes the roots, resolving relative ones against <paramref name="basePath"/>.</summary>
    /// <param name="roots">Paths of existing directories, absolute or relative to <paramref name="basePath"/>.</param>
    /// <param name="basePath">The absolute folder relative roots are resolved against; <see langword="null"/> when every root must be absolute.</param>
    /// <exception cref="RetentionConfigurationException">A root is unusable; the message lists every problem.</exception>
    public DeletionRoots(IEnumerable<string> roots, string? basePath)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var problems = new List<string>();
        var canonical = new List<string>();
        foreach (var root in roots)
        {
            if (Validate(root, basePath) is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                canonical.Add(Resolve(root, basePath)!);
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
        if (DescriptorDeleter.IsSupported)
        {
            // What each root is now: every deletion opens it again and goes on only if it is still this very folder.
            foreach (var root in _roots)
            {
                _identities[root] = DescriptorDeleter.IdentityOf(root)
                    ?? throw new RetentionConfigurationException($"Invalid deletion roots: '{root}' cannot be read");
            }
        }
    }

    /// <summary>The canonical roots: absolute paths without a trailing separator.</summary>
    public IReadOnlyList<string> Paths => _roots;

    /// <summary>Checks one absolute root; returns the problem in words, or <see langword="null"/> when it is usable.</summary>
    /// <param name="root">The configured path.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Validate(string? root) => Validate(root, basePath: null);

    /// <summary>Checks one root; returns the problem in words, or <see langword="null"/> when it is usable.</summary>
    /// <param name="root">The configured path, absolute or relative to <paramref name="basePath"/>.</param>
    /// <param name="basePath">The absolute folder a relative root is resolved against; <see langword="null"/> when roots must be absolute.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Validate(string? root, string? basePath)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            return "a root is empty";
        }

        string full;
        try
        {
            if (Resolve(root, basePath) is not { } resolved)
            {
                return basePath is null
                    ? $"'{root}' is a relative path; give an absolute path, or set {JobCleanupOptions.SectionName}:BasePath to the folder it is relative to"
                    : $"'{root}' is a relative path and the base path '{basePath}' is not absolute";
            }

            full = resolved;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"'{root}' is not a valid path ({ex.Message})";
        }

        var shown = string.Equals(root, full, StringComparison.Ordinal) ? $"'{root}'" : $"'{root}' ('{full}')";
        var fileSystemRoot = Path.GetPathRoot(full);
        if (fileSystemRoot is not null && string.Equals(Path.TrimEndingDirectorySeparator(fileSystemRoot), Path.TrimEndingDirectorySeparator(full), StringComparison.Ordinal))
        {
            return $"{shown} is a filesystem root; name the directory that holds job data instead";
        }

        if (!Directory.Exists(full))
        {
            return $"{shown} does not exist or is not a directory";
        }

        // A link, or a path through one, is refused: what it points to can change after it is checked. The host opts in
        // to the place it leads by naming that place.
        if (ResolvedPlace(full) is { } real && !string.Equals(real, full, StringComparison.Ordinal))
        {
            return $"{shown} is a symbolic link or passes through one (it leads to '{real}'); name '{real}' itself to clean there";
        }

        return Protected(shown, full);
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

    /// <summary>A root's device and inode as validated, where deletion walks by descriptor; <see langword="null"/> elsewhere.</summary>
    internal FileIdentity? IdentityOf(string root) => _identities.TryGetValue(root, out var identity) ? identity : null;

    /// <summary>The absolute form of a path, without a trailing separator.</summary>
    internal static string Canonicalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? Path.TrimEndingDirectorySeparator(full) : full;
    }

    /// <summary>A root's absolute form: as given when absolute, against <paramref name="basePath"/> when relative; <see langword="null"/> when there is nothing to resolve it against.</summary>
    internal static string? Resolve(string root, string? basePath)
    {
        if (Path.IsPathFullyQualified(root))
        {
            return Canonicalize(root);
        }

        return basePath is not null && Path.IsPathFullyQualified(basePath) ? Canonicalize(Path.Combine(basePath, root)) : null;
    }

    // Where a path really leads once every link on it is followed.
    private static string? ResolvedPlace(string full)
    {
        if (DescriptorDeleter.IsSupported)
        {
            return DescriptorDeleter.RealPath(full) is { } real ? Canonicalize(real) : null;
        }

        // Elsewhere: the first component that is a link, followed to its final target.
        var at = Path.GetPathRoot(full)?.Length ?? 0;
        while (at < full.Length)
        {
            var next = full.IndexOf(Path.DirectorySeparatorChar, at + 1);
            var component = next < 0 ? full : full[..next];
            var info = new DirectoryInfo(component);
            if (info.LinkTarget is not null)
            {
                return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? component + " (a dangling link)";
            }

            if (next < 0)
            {
                break;
            }

            at = next;
        }

        return full;
    }

    // The file system's root, home folders and system folders: by identity where the system says it, else by name.
    private static string? Protected(string shown, string full)
    {
        var homes = HomeDirectories().ToArray();
        foreach (var home in homes)
        {
            if (string.Equals(home, full, StringComparison.Ordinal) || home.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return $"{shown} is a home directory or contains one; name the directory that holds job data instead";
            }
        }

        var identity = DescriptorDeleter.IsSupported ? DescriptorDeleter.IdentityOf(full) : null;
        if (identity is not null)
        {
            if (DescriptorDeleter.IdentityOf("/") == identity)
            {
                return $"{shown} is a filesystem root; name the directory that holds job data instead";
            }

            foreach (var home in homes)
            {
                if (DescriptorDeleter.IdentityOf(home) == identity)
                {
                    return $"{shown} is a home directory or contains one; name the directory that holds job data instead";
                }
            }
        }

        foreach (var tree in SystemTrees)
        {
            if (full.StartsWith(tree + "/", StringComparison.Ordinal))
            {
                return $"{shown} is inside the system folder '{tree}'; job data belongs elsewhere (under /srv, /var/lib or the application's own folder)";
            }
        }

        // Anyone's home folder, not only this process's: /home/{user} itself.
        if (string.Equals(Path.GetDirectoryName(full), "/home", StringComparison.Ordinal))
        {
            return $"{shown} is a home directory or contains one; name the directory that holds job data instead";
        }

        var folder = identity is { } id
            ? SystemIdentities.Value.FirstOrDefault(s => s.Identity == id).Folder
            : Array.Find(SystemFolders, f => string.Equals(f, full, StringComparison.Ordinal));
        if (folder is not null)
        {
            return $"{shown} is the system folder '{folder}', shared beyond one application's jobs; name a folder inside it that holds job data instead";
        }

        return null;
    }

    private static IEnumerable<string> HomeDirectories()
    {
        foreach (var home in new[] { Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Environment.GetEnvironmentVariable("HOME") })
        {
            if (!string.IsNullOrWhiteSpace(home) && Path.IsPathFullyQualified(home))
            {
                yield return Canonicalize(home);
            }
        }
    }
}
