using System.Globalization;
using System.Text;
using Retention.Cli.Settings;

namespace Retention.Cli.Commands;

/// <summary>
/// The Kubernetes CronJob of <c>schedule print --kubernetes</c>, one a cluster can apply: the settings in force as
/// <c>JobCleanup__*</c> variables, the claim that holds the data mounted where those settings point, one run at a time.
/// </summary>
internal static class CronJobManifest
{
    private const string Name = "retention-cleanup";
    private const string Volume = "data";
    private const string ConnectionStringVariable = "JobCleanup__PostgreSql__ConnectionString";
    private const string SecretKey = "connection-string";

    /// <summary>What the flags of <see cref="KubernetesOptions"/> chose.</summary>
    public sealed record Choices(string Claim, string Image, string PostgresSecret);

    public static string Write(CliContext context, ScheduleSettings schedule, CliSettings settings, bool dryRun, Choices choices)
    {
        var env = Environment(context, settings, dryRun);
        var mounts = Mounts(context.WorkingDirectory, settings);
        var y = new StringBuilder();
        y.Append("# The claim ").Append(choices.Claim).Append(" stands for ").Append(context.WorkingDirectory)
            .AppendLine(": each folder below is mounted from it at the path the settings name (subPath: the folder's path relative to that directory).");
        if (settings.Postgres is not null)
        {
            y.Append("# Create the connection string's Secret first: kubectl create secret generic ").Append(choices.PostgresSecret)
                .Append(" --from-literal=").Append(SecretKey).AppendLine("='Host=...;Username=...;Password=...;Database=...'");
        }

        y.AppendLine("apiVersion: batch/v1");
        y.AppendLine("kind: CronJob");
        y.AppendLine("metadata:");
        y.Append("  name: ").AppendLine(Name);
        y.AppendLine("spec:");
        y.Append("  schedule: ").AppendLine(Quote(schedule.Cron.Value));
        if (schedule.TimeZone is { } zone)
        {
            y.Append("  timeZone: ").AppendLine(Quote(zone));
        }

        // Two runs at once would race for the same jobs; a run that is still going when the next is due keeps going alone.
        y.AppendLine("  concurrencyPolicy: Forbid");
        if (!schedule.Enabled.Value)
        {
            y.Append("  suspend: true # scheduling is off: ").AppendLine(schedule.OffBecause);
        }

        y.AppendLine("  jobTemplate:");
        y.AppendLine("    spec:");
        y.AppendLine("      template:");
        y.AppendLine("        spec:");
        y.AppendLine("          restartPolicy: OnFailure");
        y.AppendLine("          containers:");
        y.AppendLine("            - name: cleanup");
        y.Append("              image: ").AppendLine(Quote(choices.Image));
        y.AppendLine("              command: [\"retention\"]");
        y.AppendLine("              args: [\"clean\"]");
        y.Append("              workingDir: ").AppendLine(Quote(context.WorkingDirectory));
        y.AppendLine("              env:");
        foreach (var (name, value) in env)
        {
            y.Append("                - name: ").AppendLine(name);
            y.Append("                  value: ").AppendLine(Quote(value));
        }

        if (settings.Postgres is not null)
        {
            y.Append("                - name: ").AppendLine(ConnectionStringVariable);
            y.AppendLine("                  valueFrom:");
            y.AppendLine("                    secretKeyRef:");
            y.Append("                      name: ").AppendLine(choices.PostgresSecret);
            y.Append("                      key: ").AppendLine(SecretKey);
        }

        y.AppendLine("              volumeMounts:");
        foreach (var (path, subPath) in mounts)
        {
            y.Append("                - name: ").AppendLine(Volume);
            y.Append("                  mountPath: ").AppendLine(Quote(path));
            if (subPath.Length > 0)
            {
                y.Append("                  subPath: ").AppendLine(Quote(subPath));
            }
        }

        y.AppendLine("          volumes:");
        y.Append("            - name: ").AppendLine(Volume);
        y.AppendLine("              persistentVolumeClaim:");
        y.Append("                claimName: ").AppendLine(choices.Claim);
        return y.ToString();
    }

    /// <summary>
    /// The settings in force, as the variables the tool reads: the resolved paths, retentions, batch size, workers and dry
    /// run (whichever flag, variable or file key gave them), then every other <c>JobCleanup__*</c> variable of this shell
    /// (quarantine, rules, a mapped jobs table...). A host's <c>Background</c> keys are left out (the schedule is the
    /// CronJob's own), and so is the connection string, which comes from a Secret.
    /// </summary>
    private static List<(string Name, string Value)> Environment(CliContext context, CliSettings settings, bool dryRun)
    {
        var env = new List<(string Name, string Value)>();
        if (settings.Postgres is null)
        {
            env.Add(("JobCleanup__Sqlite__DatabasePath", settings.DatabasePath.Value));
        }

        env.Add(("JobCleanup__Roots__uploads", settings.UploadsDir.Value));
        env.Add(("JobCleanup__Roots__results", settings.ResultsDir.Value));
        if (settings.TempDir is { } temp)
        {
            env.Add(("JobCleanup__Roots__temp", temp.Value));
        }

        env.Add(("JobCleanup__SucceededRetention", Hours(settings.SuccessRetentionHours.Value)));
        env.Add(("JobCleanup__FailedRetention", Hours(settings.FailedRetentionHours.Value)));
        env.Add(("JobCleanup__BatchSize", settings.BatchSize.Value.ToString(CultureInfo.InvariantCulture)));
        env.Add(("JobCleanup__MaxParallelDeletions", settings.Workers.Value.ToString(CultureInfo.InvariantCulture)));
        env.Add(("JobCleanup__DryRun", dryRun ? "true" : "false"));

        var set = new HashSet<string>(env.Select(e => e.Name), StringComparer.OrdinalIgnoreCase) { ConnectionStringVariable };
        foreach (var (key, value) in context.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var carried = key.StartsWith("JobCleanup__", StringComparison.OrdinalIgnoreCase)
                && !key.StartsWith("JobCleanup__Background__", StringComparison.OrdinalIgnoreCase)
                && !set.Contains(key);
            if ((carried || key == "EEMT_CLEANUP_LOG_LEVEL") && !string.IsNullOrWhiteSpace(value))
            {
                env.Add((key, value));
            }
        }

        return env;
    }

    private static string Hours(double hours) => hours.ToString("0.######", CultureInfo.InvariantCulture) + "h";

    /// <summary>
    /// The folders a run needs (the database's, uploads, results, temp), each mounted at its own path; a folder inside
    /// another one mounted already needs no mount of its own. The subPath is the folder relative to the working
    /// directory, whose content the claim holds; a folder outside it is expected at its full path inside the claim.
    /// </summary>
    private static List<(string Path, string SubPath)> Mounts(string workingDirectory, CliSettings settings)
    {
        var folders = new List<string>();
        if (settings.Postgres is null)
        {
            folders.Add(Path.GetDirectoryName(settings.DatabasePath.Value)!);
        }

        folders.Add(settings.UploadsDir.Value);
        folders.Add(settings.ResultsDir.Value);
        if (settings.TempDir is { } temp)
        {
            folders.Add(temp.Value);
        }

        var mounts = new List<(string Path, string SubPath)>();
        foreach (var folder in folders.Select(f => Path.TrimEndingDirectorySeparator(f)).Distinct(StringComparer.Ordinal).OrderBy(f => f.Length))
        {
            if (mounts.Any(m => Within(folder, m.Path)))
            {
                continue;
            }

            var relative = Path.GetRelativePath(workingDirectory, folder);
            var subPath = relative == "." ? string.Empty
                : relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? folder.TrimStart('/')
                : relative;
            mounts.Add((folder, subPath.Replace('\\', '/')));
        }

        return mounts;
    }

    private static bool Within(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    // YAML's double-quoted scalar: backslash and quote escaped, control characters as \x escapes.
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
