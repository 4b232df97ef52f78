using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retention.Cli.Output;

/// <summary><c>retention schedule status --json</c>: whether the cron entry or the systemd units are installed (the schema is in docs/cli.md).</summary>
internal static partial class ScheduleStatusJson
{
    public static string Write(string target, bool installed, string where, string? entry) =>
        JsonSerializer.Serialize(new Response(target, installed, where, entry), ScheduleStatusJsonContext.Default.Response);

    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Response))]
    private sealed partial class ScheduleStatusJsonContext : JsonSerializerContext;

    private sealed record Response(string Target, bool Installed, string Where, string? Entry);
}
