using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Retention.Cli.Settings;

/// <summary>
/// The library's <c>JobCleanup</c> settings as the tool reads them, in the two places a host keeps them: a config file's
/// <c>JobCleanup</c> section (an <c>appsettings.json</c>, or the same in YAML), then <c>JobCleanup__*</c> variables on top.
/// Each value remembers which of the two it came from, so an error names the variable or the file and key.
/// </summary>
internal sealed class JobCleanupLayers
{
    private const string VariablePrefix = "JobCleanup__";

    private JobCleanupLayers(IConfiguration variables, IConfiguration file, string fileName)
    {
        Variables = variables;
        File = file;
        FileName = fileName;
    }

    /// <summary>The <c>JobCleanup__*</c> variables, as configuration whose keys start <c>JobCleanup:</c>.</summary>
    public IConfiguration Variables { get; }

    /// <summary>The config file's <c>JobCleanup</c> section, as configuration whose keys start <c>JobCleanup:</c>; empty without one.</summary>
    public IConfiguration File { get; }

    /// <summary>The config file's name, for messages; empty without one.</summary>
    public string FileName { get; }

    public static JobCleanupLayers Create(IReadOnlyDictionary<string, string?> environment, JsonObject? fileSection, string fileName)
    {
        var variables = new ConfigurationBuilder().AddInMemoryCollection(environment
            .Where(e => e.Key.StartsWith(VariablePrefix, StringComparison.OrdinalIgnoreCase) && e.Value is not null)
            .Select(e => KeyValuePair.Create(JobCleanupOptions.SectionName + ":" + e.Key[VariablePrefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value))).Build();
        var file = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (fileSection is not null)
        {
            Flatten(fileSection, JobCleanupOptions.SectionName, file);
        }

        return new JobCleanupLayers(variables, new ConfigurationBuilder().AddInMemoryCollection(file).Build(), fileName);
    }

    /// <summary>The value of <paramref name="key"/> (below <c>JobCleanup</c>, such as <c>Roots:uploads</c>), a variable first; blank is unset.</summary>
    public Sourced<string>? Find(string key)
    {
        var path = JobCleanupOptions.SectionName + ":" + key;
        if (Variables[path] is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            return new(variable, VariableName(path));
        }

        return File[path] is { } fromFile && !string.IsNullOrWhiteSpace(fromFile) ? new(fromFile, FileKey(path)) : null;
    }

    /// <summary><c>JobCleanup:Quarantine:Enabled</c> as the variable a user sets: <c>JobCleanup__Quarantine__Enabled</c>.</summary>
    public static string VariableName(string path) => path.Replace(":", "__", StringComparison.Ordinal);

    /// <summary><c>JobCleanup:Quarantine:Enabled</c> as the file and key it was read from.</summary>
    public string FileKey(string path) => $"{FileName}: {path}";

    // Configuration's own flattening of a JSON tree: objects by key, arrays by index, scalars as their text.
    private static void Flatten(JsonNode? node, string path, Dictionary<string, string?> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    Flatten(child, path + ":" + key, into);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], path + ":" + i, into);
                }

                break;
            case JsonValue value:
                into[path] = value.TryGetValue<string>(out var text) ? text : value.ToJsonString();
                break;
            default:
                into[path] = null;
                break;
        }
    }
}
