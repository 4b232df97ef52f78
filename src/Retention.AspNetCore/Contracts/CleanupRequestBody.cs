using System.Text.Json;

namespace Retention.AspNetCore.Contracts;

/// <summary>
/// The request body, <c>{"dry_run": false, "success_retention_hours": 168, "failed_retention_hours": 12,
/// "confirm_mass_deletion": false}</c>, every field optional and an empty body meaning all defaults. Parsed by hand so each
/// error names its field.
/// </summary>
internal sealed record CleanupRequestBody(bool DryRun, double? SuccessRetentionHours, double? FailedRetentionHours, bool ConfirmMassDeletion = false)
{
    // A century: anything longer is a typo, and would overflow a TimeSpan anyway.
    private const double MaxHours = 100 * 365.25 * 24;

    // A second: shorter rounds towards nothing, and "immediately" is a word in configuration, not an accident of a float.
    private const double MinHours = 1.0 / 3600;

    private static readonly string[] Fields = ["dry_run", "success_retention_hours", "failed_retention_hours", "confirm_mass_deletion"];

    public static bool TryParse(ReadOnlyMemory<byte> body, out CleanupRequestBody request, out (string Field, string Message) error)
    {
        request = new CleanupRequestBody(false, null, null);
        error = default;
        if (IsBlank(body.Span))
        {
            return true;
        }

        if (!JsonRequestBody.TryParse(body, out var document, out error))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = ("body", $"The request body must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}.");
                return false;
            }

            // A misspelt or repeated field must not silently turn a dry run into a real one.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    error = (property.Name, $"'{property.Name}' is not a field of this request; the fields are {string.Join(", ", Fields)}.");
                    return false;
                }

                if (!seen.Add(property.Name))
                {
                    error = (property.Name, $"'{property.Name}' is given more than once.");
                    return false;
                }
            }

            if (!TryFlag(root, "dry_run", out var dryRun, out error) || !TryFlag(root, "confirm_mass_deletion", out var confirm, out error)
                || !TryHours(root, "success_retention_hours", out var success, out error) || !TryHours(root, "failed_retention_hours", out var failed, out error))
            {
                return false;
            }

            request = new CleanupRequestBody(dryRun, success, failed, confirm);
            return true;
        }
    }

    private static bool TryFlag(JsonElement root, string field, out bool flag, out (string Field, string Message) error)
    {
        flag = false;
        error = default;
        if (!root.TryGetProperty(field, out var value))
        {
            return true;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = (field, $"{field} must be true or false, not {Describe(value)}.");
            return false;
        }

        flag = value.GetBoolean();
        return true;
    }

    private static bool TryHours(JsonElement root, string field, out double? hours, out (string Field, string Message) error)
    {
        hours = null;
        error = default;
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            error = (field, $"{field} must be a number of hours, not {Describe(value)}.");
            return false;
        }

        if (!(number >= MinHours) || number > MaxHours)
        {
            error = (field, $"{field} must be at least one second ({MinHours:0.######} hours) and at most {MaxHours} hours; it is {value.GetRawText()}.");
            return false;
        }

        hours = number;
        return true;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
