using Retention.Stores;

namespace Retention.AspNetCore.Contracts;

/// <summary>
/// <c>GET storage</c>: what jobs not yet cleaned hold, in all, by status and by artifact kind, from the sizes the store
/// records. A list is left out when the store cannot tell it.
/// </summary>
internal sealed record StorageResponse(ByteCount? Held, IReadOnlyList<StatusStorage>? ByStatus, IReadOnlyList<KindStorage>? ByKind)
{
    public static StorageResponse From(IReadOnlyList<StorageUsage>? byStatus, IReadOnlyList<ArtifactUsage>? byKind) => new(
        byStatus is null ? null : ByteCount.Of(byStatus.Sum(u => u.Bytes)),
        byStatus?.Select(u => new StatusStorage(u.Status, u.Jobs, ByteCount.Of(u.Bytes))).ToArray(),
        byKind?.Select(u => new KindStorage(u.Kind.Name, u.Artifacts, ByteCount.Of(u.Bytes))).ToArray());
}

/// <summary>A size in bytes and in words.</summary>
internal sealed record ByteCount(long Bytes, string HumanReadable)
{
    public static ByteCount Of(long bytes) => new(bytes, ByteSize.Format(bytes));
}

/// <summary>Jobs in one status not yet cleaned, and what they hold.</summary>
internal sealed record StatusStorage(string Status, long Jobs, ByteCount Size);

/// <summary>Artifacts of one kind of jobs not yet cleaned, and what they hold.</summary>
internal sealed record KindStorage(string Kind, long Artifacts, ByteCount Size);
