using System.Text.Json;
using System.Text.Json.Serialization;
using Retention.Cleanup.Outlook;

namespace Retention.Cli.Output;

/// <summary><c>retention diff --json</c>: the comparison, in the shape of <c>POST preview/compare</c>'s answer.</summary>
internal static partial class ComparisonJson
{
    public static string Write(PolicyComparison comparison) => JsonSerializer.Serialize(
        new Comparison(
            comparison.EvaluatedAt,
            comparison.JobsScanned,
            Enum.GetValues<PolicyChangeKind>().ToDictionary(PolicyChangeWords.Word, k => comparison.Total(k) is var (jobs, bytes) ? new Total(jobs, new Size(bytes, ByteSize.Format(bytes))) : null!),
            [.. comparison.Changes.Select(c => new Change(PolicyChangeWords.Word(c.Kind), c.Rule, c.Jobs, new Size(c.Bytes, ByteSize.Format(c.Bytes)), c.JobIds))]),
        ComparisonJsonContext.Default.Comparison);


    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Comparison))]
    private sealed partial class ComparisonJsonContext : JsonSerializerContext;

    private sealed record Comparison(DateTimeOffset EvaluatedAt, long JobsScanned, Dictionary<string, Total> Totals, Change[] Changes);

    private sealed record Total(long Jobs, Size Size);

    private sealed record Size(long Bytes, string HumanReadable);

    private sealed record Change(string Kind, string Rule, long Jobs, Size Size, IReadOnlyList<string> JobIds);
}
