using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Retention.Configuration;
using Retention.Policies;

namespace Retention.AspNetCore.Contracts;

/// <summary>
/// The body of <c>POST preview/compare</c>: a candidate policy in the shape of the <c>JobCleanup</c> configuration section,
/// <c>{"SucceededRetention": "1d", "FailedRetention": "2d"}</c> or <c>{"Rules": [...]}</c>, read and checked by the same
/// code as the host's configuration, so each error names its key.
/// </summary>
internal static class CandidatePolicyBody
{
    private static readonly string[] Keys = [nameof(JobCleanupOptions.SucceededRetention), nameof(JobCleanupOptions.FailedRetention), nameof(JobCleanupOptions.Rules)];

    public static bool TryParse(ReadOnlyMemory<byte> body, out RetentionPolicy policy, out (string Field, string Message) error)
    {
        policy = null!;
        if (!JsonRequestBody.TryParse(body, out var document, out error))
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.EnumerateObject().Any())
            {
                error = ("body", $"The request body must be a JSON object with the candidate policy: {string.Join(", ", Keys)}, as in the JobCleanup configuration section.");
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Keys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    error = (property.Name, $"'{property.Name}' is not part of a policy; the keys are {string.Join(", ", Keys)}.");
                    return false;
                }

                // Configuration reads null and [] as nothing given: the defaults would be compared, not what was sent.
                if (property.Value.ValueKind == JsonValueKind.Null || property.Value is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() == 0)
                {
                    error = (property.Name, $"'{property.Name}' is {(property.Value.ValueKind == JsonValueKind.Null ? "null" : "empty")}; give a value, or leave it out.");
                    return false;
                }
            }
        }

        // Read as the JobCleanup section, so each problem names the key as the host's configuration would.
        IConfigurationRoot json;
        try
        {
            json = new ConfigurationBuilder().AddJsonStream(new MemoryStream(body.ToArray())).Build();
        }
        catch (FormatException ex)
        {
            error = ("body", ex.Message); // a key given twice, in any case: "A duplicate key 'Rules' was found."
            return false;
        }

        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(json.AsEnumerable().Select(p => KeyValuePair.Create($"{JobCleanupOptions.SectionName}:{p.Key}", p.Value)))
            .Build()
            .GetSection(JobCleanupOptions.SectionName);
        var options = new JobCleanupOptions();
        if (Bind(section, options) is [var problem, ..])
        {
            error = (KeyOf(problem), problem);
            return false;
        }

        try
        {
            policy = options.BuildPolicy();
            return true;
        }
        catch (RetentionConfigurationException ex)
        {
            error = (KeyOf(ex.Message), ex.Message);
            return false;
        }
    }

    // Every configuration problem starts with its key: "JobCleanup:Rules:0:Retention: ...".
    private static string KeyOf(string problem) => problem.IndexOf(": ", StringComparison.Ordinal) is > 0 and var end ? problem[..end] : "body";

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "JobCleanupOptions is the library's own type, kept by the endpoints that use it.")]
    private static IReadOnlyList<string> Bind(IConfiguration configuration, JobCleanupOptions options) => JobCleanupConfiguration.Bind(configuration, options);
}
