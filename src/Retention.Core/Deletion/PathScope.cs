namespace Retention.Deletion;

/// <summary>Which side of a root's quarantine folder a path must be on to pass the <see cref="SafeDeleter"/>'s checks.</summary>
internal enum PathScope
{
    /// <summary>Job data: anywhere strictly inside a root except its quarantine folder (every deletion, and the places data is restored to).</summary>
    JobData,

    /// <summary>Strictly inside a root's quarantine folder: only the quarantine's own moves, restores and purges.</summary>
    Quarantine,
}
