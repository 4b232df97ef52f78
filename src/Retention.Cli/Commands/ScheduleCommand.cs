using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Retention.Cli.Output;
using Retention.Cli.Settings;

namespace Retention.Cli.Commands;

/// <summary>
/// <c>retention schedule</c>: the cron line, systemd units and Kubernetes CronJob, filled in for this installation;
/// install, status and remove for cron and systemd user units.
/// </summary>
internal static class ScheduleCommand
{
    private const string BlockStart = "# BEGIN retention cleanup";
    private const string BlockEnd = "# END retention cleanup";
    private const string UnitName = "retention-cleanup";

    private enum Target
    {
        Cron,
        Systemd,
        Kubernetes,
    }

    public static Command Create(CliContext context)
    {
        var schedule = new Command("schedule", "Print, install, show or remove a daily cleanup schedule (cron, systemd timer, Kubernetes CronJob).");
        foreach (var (verb, description) in new[]
        {
            ("print", "Print the cron line, systemd units or Kubernetes manifest for this installation"),
            ("install", "Install the cron entry or systemd user units"),
            ("status", "Show whether the cron entry or systemd user units are installed"),
            ("remove", "Remove the cron entry or systemd user units"),
        })
        {
            schedule.Subcommands.Add(CreateVerb(context, verb, description));
        }

        return schedule;
    }

    private static Command CreateVerb(CliContext context, string verb, string description)
    {
        var options = new CommonOptions { DryRun = null, Json = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };
        var cron = new Option<bool>("--cron") { Description = "A crontab entry" };
        var systemd = new Option<bool>("--systemd") { Description = "A systemd user service and timer" };
        var kubernetes = new Option<bool>("--kubernetes") { Description = verb is "print" ? "A Kubernetes CronJob manifest" : "A Kubernetes CronJob manifest (print only)" };
        var at = new Option<string>("--at") { Description = $"When to run, as a cron expression (default: {ScheduleSettings.ScheduleVariable}, then the config file's schedule.cron, then 0 2 * * *, daily at 02:00)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON: target, installed, where, entry" };
        var command = new Command(verb, description) { cron, systemd, kubernetes };
        var manifest = verb == "print" ? new KubernetesOptions() : null;
        manifest?.AddTo(command);
        if (verb is "print" or "install")
        {
            // What the scheduled command line is made of: the cleanup's own options, passed on to the scheduled 'retention clean'.
            command.Options.Add(at);
            options.AddTo(command);
        }
        else if (verb is "status")
        {
            command.Options.Add(json);
        }
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            var targets = new[] { (cron, Target.Cron), (systemd, Target.Systemd), (kubernetes, Target.Kubernetes) }.Where(t => parse.GetValue(t.Item1)).Select(t => t.Item2).ToArray();
            if (targets.Length != 1)
            {
                throw new UsageException($"schedule {verb}: name exactly one of --cron, --systemd, --kubernetes.");
            }

            var target = targets[0];
            if (manifest is not null && target != Target.Kubernetes && manifest.GivenName(parse) is { } kubernetesOnly)
            {
                throw new UsageException($"{kubernetesOnly}: only with --kubernetes.");
            }

            if (verb is "status" or "remove")
            {
                return verb == "status" ? await StatusAsync(context, target, parse.GetValue(json), cancellationToken) : await RemoveAsync(context, target, cancellationToken);
            }

            if (verb == "install" && target == Target.Kubernetes)
            {
                throw new UsageException("schedule install: --kubernetes is print only; apply the printed manifest with kubectl.");
            }

            var configPath = parse.GetValue(options.Config);
            var file = configPath is null ? new ConfigFile() : ConfigFile.Load(context.FullPath(configPath));
            var schedule = ScheduleSettings.Resolve(parse.GetValue(at), context.Environment, file, configPath is null ? string.Empty : Path.GetFileName(configPath) + ": ");
            var settings = SettingsResolver.Resolve(parse, options, context);
            var dryRun = DryRunFromEnvironment(context);
            var clean = CleanArguments(settings, dryRun);
            if (!schedule.Enabled.Value)
            {
                if (verb == "install")
                {
                    throw new UsageException($"schedule install: scheduling is off ({schedule.OffBecause}); nothing was installed. Set {schedule.Enabled.Source} to true, or remove it, to install.");
                }

                context.Error.WriteLine($"note: scheduling is off ({schedule.OffBecause}): 'schedule install' refuses{(target == Target.Kubernetes ? " and the CronJob is printed suspended" : string.Empty)}.");
            }

            return verb == "print"
                ? Print(context, target, schedule, clean, target == Target.Kubernetes ? CronJobManifest.Write(context, schedule, settings, dryRun, manifest!.Read(parse)) : null)
                : await InstallAsync(context, target, schedule, clean, cancellationToken);
        }));
        return command;
    }

    private static string CleanArguments(CliSettings s, bool dryRun)
    {
        var args = new StringBuilder($"clean --db-path {Quote(s.DatabasePath.Value)} --uploads-dir {Quote(s.UploadsDir.Value)} --results-dir {Quote(s.ResultsDir.Value)}");
        if (s.TempDir is { } temp)
        {
            args.Append(" --temp-dir ").Append(Quote(temp.Value));
        }

        args.Append(System.Globalization.CultureInfo.InvariantCulture, $" --success-retention {s.SuccessRetentionHours.Value} --failed-retention {s.FailedRetentionHours.Value}");
        args.Append(System.Globalization.CultureInfo.InvariantCulture, $" --batch-size {s.BatchSize.Value} --workers {s.Workers.Value}");
        if (dryRun)
        {
            // A dry run set in this shell's environment is not in cron's or systemd's: the entry says it itself.
            args.Append(" --dry-run");
        }

        return args.ToString();
    }

    // JobCleanup__DryRun, then the old variable, as clean reads them (the schedule verbs have no --dry-run flag).
    private static bool DryRunFromEnvironment(CliContext context)
    {
        foreach (var key in new[] { "JobCleanup__DryRun", "EEMT_CLEANUP_DRY_RUN" })
        {
            if (context.Environment.GetValueOrDefault(key) is { } text && text.Trim().Length > 0)
            {
                return ScheduleSettings.Bool(key, text.Trim());
            }
        }

        return false;
    }

    private static string ToolCommand(CliContext context)
    {
        if (context.Environment.GetValueOrDefault("RETENTION_TOOL_COMMAND") is { Length: > 0 } configured)
        {
            return configured;
        }

        var process = Environment.ProcessPath ?? "retention";
        return Path.GetFileNameWithoutExtension(process) == "retention" ? Quote(process) : $"{Quote(process)} {Quote(Path.Combine(AppContext.BaseDirectory, typeof(Cli).Assembly.GetName().Name + ".dll"))}";
    }

    private static int Print(CliContext context, Target target, ScheduleSettings schedule, string clean, string? manifest)
    {
        context.Out.Write(target switch
        {
            Target.Cron => CronBlock(context, schedule.Cron.Value, clean),
            Target.Systemd => $"# ~/.config/systemd/user/{UnitName}.service\n{Service(context, clean)}\n# ~/.config/systemd/user/{UnitName}.timer\n{Timer(schedule.Fields)}",
            _ => manifest,
        });
        return ExitCodes.Success;
    }

    private static string CronBlock(CliContext context, string expression, string clean) =>
        $"{BlockStart} ({context.WorkingDirectory})\n{expression} cd {Quote(context.WorkingDirectory)} && {ToolCommand(context)} {clean} >> {Quote(Path.Combine(context.WorkingDirectory, "cleanup.log"))} 2>&1\n{BlockEnd}\n";

    private static string Service(CliContext context, string clean) => $"""
        [Unit]
        Description=Retention job cleanup
        After=network.target

        [Service]
        Type=oneshot
        WorkingDirectory={context.WorkingDirectory}
        ExecStart={ToolCommand(context)} {clean}
        StandardOutput=journal
        StandardError=journal

        [Install]
        WantedBy=default.target

        """;

    private static string Timer(string[] fields)
    {
        // Daily and hourly cron expressions map onto OnCalendar; anything else is spelled out field by field.
        static string Part(string field, string any) => field == "*" ? any : int.TryParse(field, out var n) ? n.ToString("00", System.Globalization.CultureInfo.InvariantCulture) : field.Replace("*/", "00/", StringComparison.Ordinal);
        var weekday = fields[4] == "*" ? string.Empty : fields[4] switch { "0" or "7" => "Sun ", "1" => "Mon ", "2" => "Tue ", "3" => "Wed ", "4" => "Thu ", "5" => "Fri ", "6" => "Sat ", var other => other + " " };
        var calendar = $"{weekday}*-{Part(fields[3], "*")}-{Part(fields[2], "*")} {Part(fields[1], "*")}:{Part(fields[0], "*")}:00";
        return $"""
            [Unit]
            Description=Daily retention job cleanup

            [Timer]
            OnCalendar={calendar}
            Persistent=true
            RandomizedDelaySec=60

            [Install]
            WantedBy=timers.target

            """;
    }

    private static async Task<int> InstallAsync(CliContext context, Target target, ScheduleSettings schedule, string clean, CancellationToken cancellationToken)
    {
        var expression = schedule.Cron.Value;
        var from = schedule.Cron.Source == "default" ? "the default" : schedule.Cron.Source;
        if (target == Target.Cron)
        {
            var current = await ReadCrontabAsync(context, cancellationToken);
            await WriteCrontabAsync(context, WithoutBlock(current) + CronBlock(context, expression, clean), cancellationToken);
            context.Out.WriteLine($"Installed the cron entry ({expression}, from {from}). 'retention schedule status --cron' shows it.");
            return ExitCodes.Success;
        }

        var directory = UnitDirectory(context);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, UnitName + ".service"), Service(context, clean), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, UnitName + ".timer"), Timer(schedule.Fields), cancellationToken);
        context.Out.WriteLine($"Wrote {UnitName}.service and {UnitName}.timer ({expression}, from {from}) to {directory}.");
        context.Out.WriteLine($"Enable them with: systemctl --user daemon-reload && systemctl --user enable --now {UnitName}.timer");
        return ExitCodes.Success;
    }

    private static async Task<int> StatusAsync(CliContext context, Target target, bool json, CancellationToken cancellationToken)
    {
        if (target == Target.Kubernetes)
        {
            throw new UsageException("schedule status: --kubernetes is print only; ask the cluster with 'kubectl get cronjob retention-cleanup'.");
        }

        string? entry;
        string where;
        if (target == Target.Cron)
        {
            entry = Block(await ReadCrontabAsync(context, cancellationToken));
            where = "crontab";
        }
        else
        {
            where = UnitDirectory(context);
            var timer = Path.Combine(where, UnitName + ".timer");
            entry = File.Exists(timer) ? await File.ReadAllTextAsync(timer, cancellationToken) : null;
        }

        if (json)
        {
            context.Out.WriteLine(ScheduleStatusJson.Write(target == Target.Cron ? "cron" : "systemd", entry is not null, where, entry));
        }
        else if (target == Target.Cron)
        {
            context.Out.WriteLine(entry is null ? "The cron entry is not installed." : "The cron entry is installed:\n" + entry);
        }
        else
        {
            context.Out.WriteLine(entry is not null
                ? $"The systemd user units are installed in {where}:\n{entry}"
                : $"The systemd user units are not installed (no {Path.Combine(where, UnitName + ".timer")}).");
        }

        return ExitCodes.Success;
    }

    private static async Task<int> RemoveAsync(CliContext context, Target target, CancellationToken cancellationToken)
    {
        if (target == Target.Kubernetes)
        {
            throw new UsageException("schedule remove: --kubernetes is print only; remove it with 'kubectl delete cronjob retention-cleanup'.");
        }

        if (target == Target.Cron)
        {
            var current = await ReadCrontabAsync(context, cancellationToken);
            if (Block(current) is null)
            {
                context.Out.WriteLine("The cron entry is not installed; nothing to remove.");
                return ExitCodes.Success;
            }

            await WriteCrontabAsync(context, WithoutBlock(current), cancellationToken);
            context.Out.WriteLine("Removed the cron entry.");
            return ExitCodes.Success;
        }

        var directory = UnitDirectory(context);
        foreach (var unit in new[] { ".timer", ".service" })
        {
            File.Delete(Path.Combine(directory, UnitName + unit));
        }

        context.Out.WriteLine($"Removed the systemd user units from {directory}. Run: systemctl --user disable --now {UnitName}.timer; systemctl --user daemon-reload");
        return ExitCodes.Success;
    }

    private static string UnitDirectory(CliContext context)
    {
        var home = context.Environment.GetValueOrDefault("HOME") is { Length: > 0 } h ? h : throw new UsageException("HOME: not set; systemd user units live under $HOME/.config/systemd/user.");
        return Path.Combine(home, ".config", "systemd", "user");
    }

    private static string? Block(string crontab)
    {
        var start = crontab.IndexOf(BlockStart, StringComparison.Ordinal);
        var end = crontab.IndexOf(BlockEnd, StringComparison.Ordinal);
        return start < 0 || end < start ? null : crontab[start..(end + BlockEnd.Length)];
    }

    private static string WithoutBlock(string crontab)
    {
        var block = Block(crontab);
        var rest = block is null ? crontab : crontab.Replace(block + "\n", string.Empty, StringComparison.Ordinal).Replace(block, string.Empty, StringComparison.Ordinal);
        return rest.Length == 0 || rest.EndsWith('\n') ? rest : rest + "\n";
    }

    private static async Task<string> ReadCrontabAsync(CliContext context, CancellationToken cancellationToken)
    {
        var (exit, output, error) = await RunCrontabAsync(context, "-l", null, cancellationToken);

        // "no crontab for user" is an empty crontab, not an error.
        return exit == 0 ? output : error.Contains("no crontab", StringComparison.OrdinalIgnoreCase) ? string.Empty : throw new UsageException($"crontab -l failed: {error.Trim()}");
    }

    private static async Task WriteCrontabAsync(CliContext context, string content, CancellationToken cancellationToken)
    {
        var (exit, _, error) = await RunCrontabAsync(context, "-", content, cancellationToken);
        if (exit != 0)
        {
            throw new UsageException($"crontab - failed: {error.Trim()}");
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunCrontabAsync(CliContext context, string argument, string? input, CancellationToken cancellationToken)
    {
        var crontab = context.Environment.GetValueOrDefault("RETENTION_CRONTAB") is { Length: > 0 } c ? c : "crontab";
        var start = new ProcessStartInfo(crontab, argument) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Clear();
        foreach (var (key, value) in context.Environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new UsageException($"RETENTION_CRONTAB: could not start '{crontab}'.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new UsageException($"crontab: '{crontab}' could not be run ({ex.Message}); install cron or use --systemd.");
        }

        using (process)
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await output, await error);
        }
    }

    private static string Quote(string value) => value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '\\' or ';' or '&' or '|') ? "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : value;
}
