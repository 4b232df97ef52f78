using System.Text.Json;
using System.Text.Json.Serialization;
using Retention.Reaping;

namespace Retention.Cli.Output;

/// <summary><c>retention reap --json</c>: what the reaper found and failed (the schema is in docs/cli.md).</summary>
internal static partial class ReapJson
{
    public static string Write(ReapReport report) => JsonSerializer.Serialize(
        new Response(
            report.Mode == ReapMode.Startup ? "startup" : "stuck",
            report.StartedAt,
            report.JobsFound,
            report.Reaped.Count,
            report.JobsChanged,
            [.. report.Reaped.Select(j => new Job(j.JobId, j.JobType, Display.Status(j.PreviousStatus), Math.Round(j.Runtime.TotalSeconds, 3), j.ErrorMessage))]),
        ReapJsonContext.Default.Response);

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Response))]
    private sealed partial class ReapJsonContext : JsonSerializerContext;

    private sealed record Response(string Mode, DateTimeOffset StartedAt, int JobsFound, int JobsReaped, int JobsChanged, Job[] Reaped);

    private sealed record Job(string JobId, string? JobType, string PreviousStatus, double RuntimeSeconds, string ErrorMessage);
}
