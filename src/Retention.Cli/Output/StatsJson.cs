using System.Text.Json;
using System.Text.Json.Serialization;
using Retention.Cleanup.Outlook;
using Retention.Stores;

namespace Retention.Cli.Output;

/// <summary><c>retention stats --json</c>: the monitoring figures (the schema is in docs/cli.md).</summary>
internal static partial class StatsJson
{
    public static string Write(long cleaned, double megabytes, IReadOnlyList<StorageUsage> usage, bool measured, IReadOnlyList<UnmappedStatusWord> unmapped, RetentionOutlook outlook, IReadOnlyList<CleanupRunRecord> runs) => JsonSerializer.Serialize(
        new Response(
            new Window(24, cleaned, (long)Math.Round(megabytes * 1048576)),
            measured ? "disk" : "store",
            [.. usage.Select(u => new Usage(u.Status, u.Jobs, u.Bytes))],
            [.. unmapped.Select(u => new Unmapped(u.Word, u.Jobs))],
            new Overdue(outlook.OverdueJobs, outlook.OverdueBytes, outlook.OldestOverdueSince, [.. outlook.Overdue.Select(j => new OverdueJob(j.JobId, j.Status, j.DueAt, j.Bytes))]),
            new Upcoming((int)outlook.Window.TotalHours, outlook.UpcomingJobs, outlook.UpcomingBytes),
            [.. runs.Select(r => new Run(r.RunId, r.StartedAt, r.FinishedAt, r.Outcome, r.DryRun, r.Trigger, r.JobsScanned, r.JobsCleaned, r.JobsFailed, r.BytesFreed, r.Error))]),
        StatsJsonContext.Default.Response);

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Response))]
    private sealed partial class StatsJsonContext : JsonSerializerContext;

    private sealed record Response(Window Last24h, string SizesFrom, Usage[] Usage, Unmapped[] UnmappedStatuses, Overdue Overdue, Upcoming DueWithin, Run[] Runs);

    private sealed record Overdue(long Jobs, long Bytes, DateTimeOffset? OldestDueSince, OverdueJob[] Oldest);

    private sealed record OverdueJob(string JobId, string Status, DateTimeOffset? DueAt, long Bytes);

    private sealed record Upcoming(int Hours, long Jobs, long Bytes);

    private sealed record Window(int Hours, long JobsCleaned, long BytesFreed);

    private sealed record Usage(string Status, long Jobs, long Bytes);

    private sealed record Unmapped(string Status, long Jobs);

    private sealed record Run(string RunId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, bool DryRun, string? Trigger, long JobsScanned, long JobsCleaned, long JobsFailed, long BytesFreed, string? Error);
}
