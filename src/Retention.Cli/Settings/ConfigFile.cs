using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Retention.Cli.Settings;

/// <summary>The seed's <c>cleanup_config.yaml</c> (or the same shape in JSON). Sections it does not use (notifications) are ignored.</summary>
internal sealed class ConfigFile
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

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
            var file = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase)
                ? JsonSerializer.Deserialize<ConfigFile>(text, JsonOptions)
                : new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).IgnoreUnmatchedProperties().Build().Deserialize<ConfigFile>(text);
            return file ?? new ConfigFile();
        }
        catch (Exception ex) when (ex is JsonException or YamlException)
        {
            var detail = ex is YamlException yaml ? $"line {yaml.Start.Line}: {(yaml.InnerException ?? yaml).Message}" : ex.Message;
            throw new UsageException($"--config: '{path}' is not a valid cleanup configuration ({detail}).");
        }
    }

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
