using System.Text.Json;
using System.Text.Json.Serialization;
using Retention.Orphans;

namespace Retention.Cli.Output;

/// <summary><c>retention orphans --json</c>: every unreferenced path with its size, age and fate (the schema is in docs/cli.md).</summary>
internal static partial class OrphansJson
{
    public static string Write(OrphanSweepReport report, DateTimeOffset now) => JsonSerializer.Serialize(
        new Response(
            report.Deleted,
            report.Orphans.Count,
            report.Bytes,
            report.TooYoung,
            [.. report.Orphans.Select(o => new Orphan(o.Path, o.IsDirectory, o.Bytes, o.LastWrite, Math.Round((now - o.LastWrite).TotalDays, 2), o.Outcome.ToString().ToLowerInvariant(), o.Reason))]),
        OrphansJsonContext.Default.Response);

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Response))]
    private sealed partial class OrphansJsonContext : JsonSerializerContext;

    private sealed record Response(bool Deleted, int Count, long Bytes, int TooYoung, Orphan[] Orphans);

    private sealed record Orphan(string Path, bool IsDirectory, long Bytes, DateTimeOffset LastWrite, double AgeDays, string Outcome, string? Reason);
}
