using System.Text.Json;
using System.Text.Json.Serialization;
using Retention.Policies;

namespace Retention.Cli.Output;

/// <summary><c>retention explain JOB_ID --json</c>: the decision for one job (the schema is in docs/cli.md).</summary>
internal static partial class ExplainJson
{
    public static string Write(JobRetentionDecision decision)
    {
        var job = decision.Job;
        return JsonSerializer.Serialize(
            new Response(
                job.Id,
                Display.Status(job.Status),
                job.UnmappedStatus,
                job.JobType,
                job.FinishedAt,
                job.DataCleanedAt,
                decision.EvaluatedAt,
                decision.Protection.ToString().ToLowerInvariant(),
                decision.IsDue,
                decision.DecidingRule?.Name,
                decision.Reason,
                decision.NextDueAt,
                [.. decision.Artifacts.Select(a => new Artifact(a.Artifact.Kind.Name, a.Artifact.Path, a.Verdict == ArtifactVerdict.Delete ? "due" : "keep", a.Rule?.Name, a.DueAt, a.Reason))]),
            ExplainJsonContext.Default.Response);
    }

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Response))]
    private sealed partial class ExplainJsonContext : JsonSerializerContext;

    private sealed record Response(
        string JobId,
        string Status,
        string? UnmappedStatus,
        string? JobType,
        DateTimeOffset FinishedAt,
        DateTimeOffset? DataCleanedAt,
        DateTimeOffset EvaluatedAt,
        string Protection,
        bool Due,
        string? Rule,
        string Reason,
        DateTimeOffset? NextDueAt,
        Artifact[] Artifacts);

    private sealed record Artifact(string Kind, string Path, string Verdict, string? Rule, DateTimeOffset? DueAt, string Reason);
}
