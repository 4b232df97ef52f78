using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retention.Cli.Output;

/// <summary><c>retention hold list --json</c>: the holds in force (the schema is in docs/cli.md).</summary>
internal static partial class HoldsJson
{
    public static string Write(IReadOnlyList<JobHold> holds) => JsonSerializer.Serialize(
        [.. holds.Select(h => new Hold(h.Id, h.JobId!, h.Owner, h.Reason, h.CreatedAt, h.Until))],
        HoldsJsonContext.Default.HoldArray);

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Hold[]))]
    private sealed partial class HoldsJsonContext : JsonSerializerContext;

    private sealed record Hold(string Id, string JobId, string Owner, string Reason, DateTimeOffset CreatedAt, DateTimeOffset? Until);
}
