using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Core;

namespace Retention.Cli.Settings;

/// <summary>A <c>cleanup_config.yaml</c> (or the same shape in JSON). Sections it does not use (notifications) are ignored.</summary>
internal sealed partial class ConfigFile
{
    public RetentionSection? Retention { get; set; }

    public PathsSection? Paths { get; set; }

    public PerformanceSection? Performance { get; set; }

    public ScheduleSection? Schedule { get; set; }

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
            var file = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase)
                ? JsonSerializer.Deserialize(text, ConfigJson.Default.ConfigFile)
                : YamlTree.ToJson(text)?.Deserialize(ConfigJson.Default.ConfigFile);
            return file ?? new ConfigFile();
        }
        catch (Exception ex) when (ex is JsonException or YamlException)
        {
            var detail = ex is YamlException yaml ? $"line {yaml.Start.Line}: {(yaml.InnerException ?? yaml).Message}" : ex.Message;
            throw new UsageException($"--config: '{path}' is not a valid cleanup configuration ({detail}).");
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
}
