using System.Globalization;
using System.Text.Json;

namespace Retention.AspNetCore.Contracts;

/// <summary>
/// The body of <c>POST holds</c>: <c>{"job_id": "job-1", "reason": "legal hold", "until": "2026-03-01T00:00:00Z"}</c>,
/// <c>until</c> optional. Parsed by hand so each error names its field; the owner is the signed-in user, never the body.
/// </summary>
internal sealed record HoldRequestBody(string JobId, string Reason, DateTimeOffset? Until)
{
    private static readonly string[] Fields = ["job_id", "reason", "until"];

    public static bool TryParse(ReadOnlyMemory<byte> body, out HoldRequestBody request, out (string Field, string Message) error)
    {
        request = new HoldRequestBody(string.Empty, string.Empty, null);
        if (!JsonRequestBody.TryParse(body, out var document, out error))
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = ("body", "The request body must be a JSON object: {\"job_id\": ..., \"reason\": ..., \"until\": ...}.");
                return false;
            }

            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.Ordinal) || !values.TryAdd(property.Name, property.Value.Clone()))
                {
                    error = (property.Name, $"'{property.Name}' is not a field of this request, or is given twice; the fields are {string.Join(", ", Fields)}.");
                    return false;
                }
            }

            if (!Text(values, "job_id", out var jobId, ref error) || !Text(values, "reason", out var reason, ref error))
            {
                return false;
            }

            DateTimeOffset? until = null;
            if (values.TryGetValue("until", out var end) && end.ValueKind != JsonValueKind.Null)
            {
                if (end.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(end.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    error = ("until", $"until must be an ISO-8601 time such as 2026-03-01T00:00:00Z, or null; it is {end.GetRawText()}.");
                    return false;
                }

                until = parsed;
            }

            request = new HoldRequestBody(jobId, reason, until);
            return true;
        }
    }

    private static bool Text(Dictionary<string, JsonElement> values, string field, out string text, ref (string Field, string Message) error)
    {
        text = string.Empty;
        if (!values.TryGetValue(field, out var value) || value.ValueKind != JsonValueKind.String)
        {
            error = (field, $"{field} is required, as a string.");
            return false;
        }

        text = value.GetString()!;
        return true;
    }
}
