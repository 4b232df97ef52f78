using System.Text.Json;

namespace Retention.AspNetCore.Contracts;

/// <summary>A request body read as JSON the same way by every endpoint: a UTF-8 byte order mark skipped, a parse error named.</summary>
internal static class JsonRequestBody
{
    public static bool TryParse(ReadOnlyMemory<byte> body, out JsonDocument document, out (string Field, string Message) error)
    {
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..]; // a UTF-8 byte order mark, as some clients write one
        }

        error = default;
        try
        {
            document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException ex)
        {
            document = null!;
            error = ("body", $"The request body is not valid JSON: {ex.Message}");
            return false;
        }
    }
}
