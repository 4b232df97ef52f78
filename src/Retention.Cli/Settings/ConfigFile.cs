using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using YamlDotNet.Core;

namespace Retention.Cli.Settings;

/// <summary>
/// The <c>--config</c> file, in one of two shapes: a <c>JobCleanup</c> section as a host's <c>appsettings.json</c> has
/// it (JSON or YAML; the file's other sections belong to the host and are left alone), or a <c>cleanup_config.yaml</c>
/// of the old scripts (or the same shape in JSON). Every key of the old file is accepted, so such a file works as it is;
/// a key it does not have is an error with the nearest known key.
/// </summary>
internal sealed partial class ConfigFile
{
    /// <summary>The file's <c>JobCleanup</c> section, when it is in the library's shape.</summary>
    [JsonIgnore]
    public JsonObject? JobCleanup { get; private set; }

    public RetentionSection? Retention { get; set; }

    public PathsSection? Paths { get; set; }

    public PerformanceSection? Performance { get; set; }

    public ScheduleSection? Schedule { get; set; }

    public NotificationsSection? Notifications { get; set; }

    public static ConfigFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--config: '{path}' does not exist.");
        }

        var text = File.ReadAllText(path);
        try
        {
            // YAML is read as a document tree and mapped as JSON, so both formats share one generated (reflection-free) reader.
            var tree = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase)
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
                : YamlTree.ToJson(text);
            if (tree is JsonObject shaped && shaped.FirstOrDefault(e => e.Key.Equals(JobCleanupOptions.SectionName, StringComparison.OrdinalIgnoreCase)) is { Key: not null } section)
            {
                if (shaped.Select(e => e.Key).FirstOrDefault(Known.ContainsKey) is { } oldKey)
                {
                    throw new UsageException($"--config: {Path.GetFileName(path)}: '{oldKey}' and '{section.Key}' are two shapes of configuration; give the settings under {section.Key} only.");
                }

                return new ConfigFile
                {
                    JobCleanup = section.Value as JsonObject ?? throw new UsageException($"--config: {Path.GetFileName(path)}: {section.Key} must be a section of settings, not a value."),
                };
            }

            if (tree is JsonObject root && UnknownKeys(root, Known, string.Empty).ToArray() is { Length: > 0 } unknown)
            {
                throw new UsageException(string.Join(Environment.NewLine + "error: ", unknown.Select(u => $"--config: {Path.GetFileName(path)}: {u}")));
            }

            return tree?.Deserialize(ConfigJson.Default.ConfigFile) ?? new ConfigFile();
        }
        catch (Exception ex) when (ex is JsonException or YamlException)
        {
            var detail = ex is YamlException yaml ? $"line {yaml.Start.Line}: {(yaml.InnerException ?? yaml).Message}" : ex.Message;
            throw new UsageException($"--config: '{path}' is not a valid cleanup configuration ({detail}).");
        }
    }

    // Every key the old cleanup_config.yaml has, so such a file works as it is; anything else is a mistake to report.
    // Keys the tool accepts without acting on them (keep_metadata: the tool never deletes records unless a rule says so;
    // keep_logs; paths.logs; the notifications section) are listed, with null for "any keys below".
    private static readonly Dictionary<string, object?> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["retention"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["successful_jobs"] = Leaves("hours", "keep_metadata", "keep_logs"),
            ["failed_jobs"] = Leaves("hours", "keep_metadata", "keep_error_logs"),
        },
        ["schedule"] = Leaves("enabled", "cron"),
        ["paths"] = Leaves("database", "uploads", "results", "temp", "logs"),
        ["performance"] = Leaves("batch_size", "parallel_delete", "max_workers"),
        ["notifications"] = null,
    };

    private static Dictionary<string, object?> Leaves(params string[] names) =>
        names.ToDictionary(n => n, _ => (object?)string.Empty, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> UnknownKeys(JsonObject node, Dictionary<string, object?> known, string path)
    {
        foreach (var (key, value) in node)
        {
            var at = path.Length == 0 ? key : path + "." + key;
            if (!known.TryGetValue(key, out var below))
            {
                yield return NearestName.Find(key, known.Keys) is { } nearest
                    ? $"{at}: unknown key; did you mean '{nearest}'?"
                    : $"{at}: unknown key (known here: {string.Join(", ", known.Keys)}{(path.Length == 0 ? "; or give the library's settings under JobCleanup, as a host's appsettings.json does" : string.Empty)})";
            }
            else if (below is Dictionary<string, object?> children && value is JsonObject child)
            {
                foreach (var problem in UnknownKeys(child, children, at))
                {
                    yield return problem;
                }
            }
        }
    }

    /// <summary>The file's reader, generated at compile time: snake_case keys in any case, comments allowed, numbers also quoted.</summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(ConfigFile))]
    private sealed partial class ConfigJson : JsonSerializerContext;

    public sealed class RetentionSection
    {
        public JobRetention? SuccessfulJobs { get; set; }

        public JobRetention? FailedJobs { get; set; }
    }

    public sealed class JobRetention
    {
        public double? Hours { get; set; }
    }

    public sealed class PathsSection
    {
        public string? Database { get; set; }

        public string? Uploads { get; set; }

        public string? Results { get; set; }

        public string? Temp { get; set; }
    }

    public sealed class PerformanceSection
    {
        public int? BatchSize { get; set; }

        public bool? ParallelDelete { get; set; }

        public int? MaxWorkers { get; set; }
    }

    public sealed class ScheduleSection
    {
        public bool? Enabled { get; set; }

        public string? Cron { get; set; }
    }

    /// <summary>
    /// Who hears about a run of <c>retention clean</c>. Keys below it that name nothing land in <c>Unknown</c>, so the
    /// notifications' own check can report them with the nearest known key.
    /// </summary>
    public sealed class NotificationsSection
    {
        public bool? IncludeDryRuns { get; set; }

        public SlackSection? Slack { get; set; }

        public EmailSection? Email { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    public sealed class SlackSection
    {
        public bool? Enabled { get; set; }

        public string? WebhookUrl { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    public sealed class EmailSection
    {
        public bool? Enabled { get; set; }

        public string? SmtpServer { get; set; }

        public int? Port { get; set; }

        public string? From { get; set; }

        public List<string>? Recipients { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }
}
