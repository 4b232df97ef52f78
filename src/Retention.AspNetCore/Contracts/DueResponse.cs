namespace Retention.AspNetCore.Contracts;

/// <summary>
/// <c>GET due</c>: of the first <see cref="Scanned"/> finished jobs not yet cleaned (the store's candidate order), the ones
/// due now (overdue: a run would clean them) and the ones that become due later, soonest first.
/// <see cref="Complete"/> says whether every such job was read.
/// </summary>
internal sealed record DueResponse(int Scanned, bool Complete, int OverdueJobs, ByteCount OverdueSize, IReadOnlyList<DueJob> Jobs);

/// <summary>One job that is due now, or when it becomes due, and why.</summary>
internal sealed record DueJob(string JobId, string Status, bool DueNow, DateTimeOffset? DueAt, long Bytes, string Reason);
