using Retention.Holds;

namespace Retention.Docs.Snippets;

// docs/governance.md: holds from code.
internal static class Holds
{
    public static async Task PlaceListRelease(IJobHolds holds, CancellationToken ct)
    {
        var hold = await holds.AddAsync("job-20240115-123456", "alice", "legal hold: case 2024-17", until: null, ct);
        var inForce = await holds.ListAsync("job-20240115-123456", ct);   // or ListAsync(null, ct) for every job's
        await holds.ReleaseAsync(hold.Id, "bob", ct);
        GC.KeepAlive(inForce);
    }
}
