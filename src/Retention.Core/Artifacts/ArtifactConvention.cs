namespace Retention.Artifacts;

/// <summary>A parsed naming convention: an exact path, or a prefix of names inside one directory, with <c>{jobId}</c> filled in per job.</summary>
internal sealed record ArtifactConvention(ArtifactKind Kind, string Directory, string Before, string After, bool IsPrefix)
{
    public const string Placeholder = "{jobId}";

    /// <summary>Parses <paramref name="pattern"/> relative to <paramref name="rootPath"/>; returns the problem in words, or <see langword="null"/>.</summary>
    public static string? TryParse(string rootPath, string? pattern, ArtifactKind kind, out ArtifactConvention? convention)
    {
        convention = null;
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "the pattern is empty";
        }

        var normalized = pattern.Replace('\\', '/').Trim('/');
        var at = normalized.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0 || normalized.IndexOf(Placeholder, at + 1, StringComparison.Ordinal) >= 0)
        {
            return $"'{pattern}' must contain {Placeholder} exactly once";
        }

        if (normalized.Split('/').Any(s => s is ".." or "."))
        {
            return $"'{pattern}' may not contain '.' or '..' segments";
        }

        var slash = normalized.LastIndexOf('/');
        var directory = slash < 0 ? rootPath : Path.Combine(rootPath, normalized[..slash]);
        var name = slash < 0 ? normalized : normalized[(slash + 1)..];
        var star = normalized.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            // Only "{jobId}<literal>*" in the last segment: a prefix match that one sorted listing of the directory answers.
            if (star != normalized.Length - 1 || at < slash || !name.StartsWith(Placeholder, StringComparison.Ordinal))
            {
                return $"'{pattern}' may only end in '*' right after {Placeholder} and a literal, as in {Placeholder}_*";
            }

            if (name.Length == Placeholder.Length + 1)
            {
                return $"'{pattern}' needs a separator between {Placeholder} and '*', as in {Placeholder}_*, so one job's id is not taken for the start of another's";
            }

            convention = new ArtifactConvention(kind, directory, string.Empty, name[Placeholder.Length..^1], IsPrefix: true);
            return null;
        }

        var relative = normalized.Replace('/', Path.DirectorySeparatorChar);
        var split = relative.IndexOf(Placeholder, StringComparison.Ordinal);
        convention = new ArtifactConvention(kind, rootPath, relative[..split], relative[(split + Placeholder.Length)..], IsPrefix: false);
        return null;
    }
}
