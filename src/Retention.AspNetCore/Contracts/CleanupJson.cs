using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retention.AspNetCore.Contracts;

/// <summary>The endpoints' JSON: snake_case, as clients of the old cleanup endpoint read it, nulls left out, enums as lower-case words.</summary>
internal static class CleanupJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
