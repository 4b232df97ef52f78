using System.Collections.Concurrent;
using Retention.Deletion;

namespace Retention.Artifacts;

/// <summary>
/// Finds a job's files by naming convention during one run. A prefix convention lists its directory once per run,
/// sorted, and answers each job with a binary search, so a run costs one listing, not one listing per job.
/// </summary>
internal sealed class ConventionArtifactLocator
{
    private readonly IReadOnlyList<ArtifactConvention> _conventions;
    private readonly ConcurrentDictionary<string, Lazy<string[]>> _listings = new(StringComparer.Ordinal);

    public ConventionArtifactLocator(IReadOnlyList<ArtifactConvention> conventions) => _conventions = conventions;

    /// <summary>
    /// Adds the artifacts the conventions find for <paramref name="jobId"/>. A prefix match whose rest holds the separator
    /// again (<c>a_1_dem.tif</c> for job <c>a</c>) could belong to a job whose id is longer (<c>a_1</c>); it goes to
    /// <paramref name="ambiguous"/> (created on the first) with those ids, for the caller to settle.
    /// </summary>
    public void Locate(string jobId, List<JobArtifact> artifacts, ref List<AmbiguousArtifact>? ambiguous)
    {
        // An id that is not a plain file name could point anywhere once substituted; the deleter would refuse it, but do not even try.
        if (jobId.AsSpan().IndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) >= 0 || jobId is "." or "..")
        {
            return;
        }

        foreach (var convention in _conventions)
        {
            if (convention.IsPrefix)
            {
                var names = _listings.GetOrAdd(convention.Directory, static d => new Lazy<string[]>(() => List(d))).Value;
                var prefix = jobId + convention.After;
                var index = Array.BinarySearch(names, prefix, StringComparer.Ordinal);
                for (var i = index < 0 ? ~index : index; i < names.Length && names[i].StartsWith(prefix, StringComparison.Ordinal); i++)
                {
                    var artifact = new JobArtifact(convention.Kind, Path.Combine(convention.Directory, names[i]));
                    var rest = names[i].AsSpan(prefix.Length);
                    if (rest.IndexOf(convention.After, StringComparison.Ordinal) < 0)
                    {
                        artifacts.Add(artifact);
                        continue;
                    }

                    var others = new List<string>();
                    for (var at = rest.IndexOf(convention.After, StringComparison.Ordinal); at >= 0; at = NextIndex(rest, convention.After, at))
                    {
                        others.Add(prefix + rest[..at].ToString());
                    }

                    (ambiguous ??= []).Add(new AmbiguousArtifact(artifact, others));
                }
            }
            else
            {
                var path = Path.Combine(convention.Directory, convention.Before + jobId + convention.After);
                if (PathProbe.Exists(path))
                {
                    artifacts.Add(new JobArtifact(convention.Kind, path));
                }
            }
        }
    }

    private static int NextIndex(ReadOnlySpan<char> text, string value, int previous)
    {
        var next = text[(previous + value.Length)..].IndexOf(value, StringComparison.Ordinal);
        return next < 0 ? -1 : previous + value.Length + next;
    }

    private static string[] List(string directory)
    {
        try
        {
            var names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }
}
