using System.Text.Json;
using System.Text.Json.Serialization;
using Retention.Cleanup;

namespace Retention.Cli.Output;

/// <summary>The HTTP API's response shape: <c>success</c>, <c>cleaned_jobs</c>, <c>space_freed</c>, <c>details</c>.</summary>
internal static partial class JsonReport
{
    public static string Write(CleanupReport report) => JsonSerializer.Serialize(
        new Response(
            report.Succeeded,
            report.DryRun,
            new CleanedJobs(report.Stats.CleanedIn(JobStatus.Succeeded), report.Stats.CleanedIn(JobStatus.Failed), report.Stats.CleanedIn(JobStatus.Cancelled)),
            new SpaceFreed(report.Stats.BytesFreed, ByteSize.Format(report.Stats.BytesFreed), report.Stats.AllocatedBytesFreed),
            report.Jobs.Where(j => j.Outcome == JobCleanupOutcome.Cleaned).Select(j => new Detail(j.JobId, Display.Status(j.Status), j.AgeDays, ByteSize.Format(j.BytesFreed))).ToArray(),
            report.Jobs.Where(j => j.Outcome == JobCleanupOutcome.Failed).Select(j => new Failure(j.JobId, string.Join("; ", j.Artifacts.Where(a => a.Reason is not null).Select(a => $"{a.Path}: {a.Reason}")))).ToArray() is { Length: > 0 } failures ? failures : null,
            report.Error,
            report.UnrecordedJobIds.Count > 0 ? [.. report.UnrecordedJobIds] : null,
            report.UnmappedStatuses.Count == 0 ? null : [.. report.UnmappedStatuses.Select(u => new Unmapped(u.Word, u.Jobs))]),
        ReportJson.Default.Response);

    /// <summary>The response's serializer, generated at compile time (no reflection: native AOT keeps it).</summary>
    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(Response))]
    private sealed partial class ReportJson : JsonSerializerContext;

    private sealed record Response(bool Success, bool DryRun, CleanedJobs CleanedJobs, SpaceFreed SpaceFreed, Detail[] Details, Failure[]? Failures, string? Error, string[]? UnrecordedJobs, Unmapped[]? UnmappedStatuses);

    private sealed record CleanedJobs(long Successful, long Failed, long Cancelled);

    private sealed record SpaceFreed(long Bytes, string HumanReadable, long OnDiskBytes);

    private sealed record Detail(string JobId, string Status, double AgeDays, string SpaceFreed);

    private sealed record Failure(string JobId, string Error);

    private sealed record Unmapped(string Status, long Jobs);
}
