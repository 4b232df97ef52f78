using System.Collections.Concurrent;
using Retention.Deletion;

namespace Retention.Artifacts;

/// <summary>
/// Finds a job's files by naming convention during one run. Each convention's directory is listed, sorted, and each job
/// answered by a binary search: a run costs a listing, not an <c>lstat</c> per job, most of which find nothing once due
/// jobs' data is long gone. A listing is a snapshot: it is trusted for two seconds, or, where reading it takes longer
/// than a tenth of a second (hundreds of thousands of names), for twenty times what it took, so re-reading it costs at
/// most a twentieth of the run. A file that appears meanwhile is found by the next listing: the window is that long, on
/// top of the one between planning a job and recording it that any check has. A due job finished long ago, so its
/// files appearing then means a re-run, which stops the mark through the job's status (and, where the store keeps
/// one, its row version) unless the re-run has also finished within the window.
/// </summary>
internal sealed class ConventionArtifactLocator
{
    private readonly IReadOnlyList<ArtifactConvention> _conventions;
    private readonly ExactName?[] _exact;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DirectoryListing> _listings = new(StringComparer.Ordinal);

    private ConventionArtifactLocator(IReadOnlyList<ArtifactConvention> conventions, TimeProvider time, bool listExactNames)
    {
        _conventions = conventions;
        _time = time;
        _exact = conventions.Select(c => listExactNames && !c.IsPrefix ? ExactName.Of(c) : null).ToArray();
    }

    /// <summary>A locator for a run over many jobs: exact names are looked up in listings too.</summary>
    public static ConventionArtifactLocator ForRun(IReadOnlyList<ArtifactConvention> conventions, TimeProvider time) => new(conventions, time, listExactNames: true);

    /// <summary>A locator for one job (explain): an exact name is one <c>lstat</c>, cheaper than listing its directory.</summary>
    public static ConventionArtifactLocator ForOneJob(IReadOnlyList<ArtifactConvention> conventions, TimeProvider time) => new(conventions, time, listExactNames: false);

    /// <summary>
    /// Adds the artifacts the conventions find for <paramref name="jobId"/>. A prefix match whose rest holds the separator
    /// again (<c>a_1_dem.tif</c> for job <c>a</c>) could belong to a job whose id is longer (<c>a_1</c>); it goes to
    /// <paramref name="ambiguous"/> (created on the first) with those ids, for the caller to settle.
    /// </summary>
    public void Locate(string jobId, List<JobArtifact> artifacts, ref List<AmbiguousArtifact>? ambiguous)
    {
        // An id that is not a plain file name could point anywhere once substituted: never tried (RefusalFor says why).
        if (RefusalFor(jobId) is not null)
        {
            return;
        }

        for (var c = 0; c < _conventions.Count; c++)
        {
            var convention = _conventions[c];
            if (convention.IsPrefix)
            {
                LocateByPrefix(convention, jobId, artifacts, ref ambiguous);
            }
            else if (PathIfThere(_exact[c], convention, jobId) is { } path)
            {
                artifacts.Add(new JobArtifact(convention.Kind, path));
            }
        }
    }

    /// <summary>
    /// Why the conventions cannot name <paramref name="jobId"/>'s files exactly (a separator, <c>.</c> or <c>..</c>, a NUL),
    /// or <see langword="null"/> when they can or there are no conventions. Such a job is refused, never marked cleaned:
    /// its files may be there under a name nothing can build.
    /// </summary>
    public string? RefusalFor(string jobId)
    {
        if (_conventions.Count == 0)
        {
            return null;
        }

        if (jobId.AsSpan().IndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) >= 0 || jobId is "." or ".." || jobId.Contains('\0', StringComparison.Ordinal))
        {
            return $"the job id '{jobId}' is not a plain file name (it holds a separator, a NUL, or is '.' or '..'), so the naming conventions cannot name its files exactly; left for an operator";
        }

        return null;
    }

    private string? PathIfThere(ExactName? exact, ArtifactConvention convention, string jobId)
    {
        if (exact is not null && Listing(exact.Directory).Find(exact.Before + jobId + exact.After) == DirectoryListing.Lookup.Absent)
        {
            return null; // the common case at scale: not even a path is built
        }

        // Present in the listing, or in another case, or below a listed name: the file system says.
        var path = Path.Combine(convention.Directory, convention.Before + jobId + convention.After);
        return PathProbe.Exists(path) ? path : null;
    }

    private void LocateByPrefix(ArtifactConvention convention, string jobId, List<JobArtifact> artifacts, ref List<AmbiguousArtifact>? ambiguous)
    {
        var prefix = jobId + convention.After;
        foreach (var name in Listing(convention.Directory).StartingWithIgnoringCase(prefix))
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var artifact = new JobArtifact(convention.Kind, Path.Combine(convention.Directory, name));
            var rest = name.AsSpan(prefix.Length);
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

    private DirectoryListing Listing(string directory)
    {
        if (_listings.TryGetValue(directory, out var listing) && listing.IsFresh(_time))
        {
            return listing;
        }

        listing = DirectoryListing.Read(directory, _time);
        _listings[directory] = listing;
        return listing;
    }

    private static int NextIndex(ReadOnlySpan<char> text, string value, int previous)
    {
        var next = text[(previous + value.Length)..].IndexOf(value, StringComparison.Ordinal);
        return next < 0 ? -1 : previous + value.Length + next;
    }

    /// <summary>
    /// An exact convention split at the job's id into the directory to list and the name in it: <c>run/{jobId}.log</c>
    /// is <c>{jobId}.log</c> in <c>run/</c>; <c>{jobId}/output</c> is <c>{jobId}</c> in the root, whose absence settles it.
    /// </summary>
    private sealed record ExactName(string Directory, string Before, string After)
    {
        public static ExactName Of(ArtifactConvention convention)
        {
            var slash = convention.Before.LastIndexOf(Path.DirectorySeparatorChar);
            var next = convention.After.IndexOf(Path.DirectorySeparatorChar);
            return new ExactName(
                slash < 0 ? convention.Directory : Path.Combine(convention.Directory, convention.Before[..slash]),
                convention.Before[(slash + 1)..],
                next < 0 ? convention.After : convention.After[..next]);
        }
    }
}
