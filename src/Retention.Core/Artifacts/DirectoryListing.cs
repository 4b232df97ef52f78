using System.Runtime.ExceptionServices;
using System.Text;

namespace Retention.Artifacts;

/// <summary>
/// The names in one directory, read once and sorted, so a run looks a job's names up instead of asking the file system
/// per job: a million jobs whose data is long gone cost one listing, not a million failed <c>lstat</c> calls.
/// </summary>
/// <remarks>
/// Sorted case-insensitively, so a name that differs only in case is seen too: on a case-insensitive file system it is
/// the job's, on a case-sensitive one it is not, and only the file system can say which (<see cref="Lookup.Ask"/>).
/// A listing never answers <see cref="Lookup.Absent"/> where it cannot be sure: for a name that is not ASCII, in a
/// directory holding any name that is not ASCII (file systems fold and normalize those beyond what an ordinal
/// comparison knows: a Kelvin sign is a K to a case-insensitive one), or for a directory it could not read.
/// </remarks>
internal sealed class DirectoryListing
{
    // Trusted for two seconds, or for twenty times what reading it took: re-reading costs at most a twentieth of a run.
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);
    private const int CostShare = 20;

    private readonly string[] _names;
    private readonly bool _holdsNonAscii;
    private readonly ExceptionDispatchInfo? _error;
    private readonly long _takenAt;
    private readonly TimeSpan _trustedFor;

    private DirectoryListing(string[] names, ExceptionDispatchInfo? error, long takenAt, TimeSpan cost)
    {
        _names = names;
        _holdsNonAscii = Array.Exists(names, n => !Ascii.IsValid(n));
        _error = error;
        _takenAt = takenAt;
        _trustedFor = cost * CostShare > Lifetime ? cost * CostShare : Lifetime;
    }

    /// <summary>Whether a name is in a listing.</summary>
    public enum Lookup
    {
        /// <summary>Nothing by that name, in any case.</summary>
        Absent,

        /// <summary>Exactly that name.</summary>
        Present,

        /// <summary>The listing cannot be sure (the name in another case, names that are not ASCII, an unreadable directory): ask the file system.</summary>
        Ask,
    }

    /// <summary>Whether the listing is still young enough to answer for its directory.</summary>
    /// <param name="time">The clock the listing was read by.</param>
    /// <returns>Whether to use it rather than read the directory again.</returns>
    public bool IsFresh(TimeProvider time) => time.GetElapsedTime(_takenAt) < _trustedFor;

    /// <summary>
    /// Lists <paramref name="directory"/>; a directory that is not there lists as empty. One that cannot be read is kept
    /// with its error: exact names are then left to the file system, and a prefix lookup throws the error.
    /// </summary>
    public static DirectoryListing Read(string directory, TimeProvider time)
    {
        var start = time.GetTimestamp();
        string[] names = [];
        ExceptionDispatchInfo? error = null;
        try
        {
            names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToArray();
            Array.Sort(names, StringComparer.OrdinalIgnoreCase);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing there: nothing of any job's.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ExceptionDispatchInfo.Capture(ex);
        }

        return new DirectoryListing(names, error, start, time.GetElapsedTime(start));
    }

    /// <summary>Whether <paramref name="name"/> is in the listing.</summary>
    public Lookup Find(string name)
    {
        if (_error is not null || !Ascii.IsValid(name))
        {
            return Lookup.Ask;
        }

        // Names equal but for case sit side by side: look for the exact one among them.
        var found = false;
        for (var i = LowerBound(name); i < _names.Length && string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase); i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                return Lookup.Present;
            }

            found = true;
        }

        return found || _holdsNonAscii ? Lookup.Ask : Lookup.Absent;
    }

    /// <summary>
    /// The names that start with <paramref name="prefix"/> in any case (under this order they sit side by side, from the
    /// prefix's own place); the caller keeps those that start with it exactly.
    /// </summary>
    public ReadOnlySpan<string> StartingWithIgnoringCase(string prefix)
    {
        _error?.Throw(); // no names to offer, and "none" would be a lie
        var first = LowerBound(prefix);
        var end = first;
        while (end < _names.Length && _names[end].StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            end++;
        }

        return _names.AsSpan(first, end - first);
    }

    // The first index whose name is not before key (Array.BinarySearch returns any one of equal names, not the first).
    private int LowerBound(string key)
    {
        int low = 0, high = _names.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (StringComparer.OrdinalIgnoreCase.Compare(_names[mid], key) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
