using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Cli.Notifications;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Spectre.Console;

namespace Retention.Cli.Commands;

/// <summary><c>retention clean</c>: deletes the data of finished jobs whose retention ran out.</summary>
internal static class CleanCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions();
        var command = new Command("clean", "Delete the data of finished jobs whose retention has run out (metadata is kept); --dry-run previews.");
        options.AddTo(command);
        var confirmMassDeletion = new Option<bool>("--confirm-mass-deletion") { Description = "Let this run go past the mass-deletion guard (JobCleanup:CircuitBreaker:MaxTimesMedianOfRecentRuns, MaxShareOfStoredJobs) once a dry run has shown what it deletes" };
        command.Options.Add(confirmMassDeletion);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, () => RunAsync(parse, options, parse.GetValue(confirmMassDeletion), context, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CommonOptions options, bool confirmMassDeletion, CliContext context, CancellationToken cancellationToken)
    {
        // Printed as the run goes unless a live progress bar owns the terminal or the output is one JSON document at the
        // end: then the report keeps the jobs (up to 100,000). Streaming keeps memory flat at a million jobs.
        var notifications = CleanupNotifications.Read(parse, options, context); // checked before anything runs
        await using var session = await CliHost.OpenAsync(parse, options, context, s => s.DryRun, cancellationToken, (s, o) => o.MaxReportedJobs = Streams(s, context) ? 0 : 100_000);
        var (settings, services) = (session.Settings, session.Services);
        var streaming = Streams(settings, context);
        var cleaner = session.Get<IJobCleaner>();
        var request = new CleanupRequest
        {
            DryRun = settings.DryRun,
            ConfirmMassDeletion = confirmMassDeletion,
            Trigger = "cli",
            // The classic audit rows say who cleaned as the scripts did: the automatic cleanup, not a login.
            RequestedBy = settings.Compatible ? "auto_cleanup" : context.Environment.GetValueOrDefault("USER") ?? "cli",
            JobFinished = streaming ? new JobPrinter(context, settings.DryRun, settings.Compatible) : null,
        };
        if (settings.Compatible && !settings.DryRun && !settings.Json)
        {
            context.Out.WriteLine("[INFO] Starting job cleanup process...");
        }

        var report = context.IsTerminal && !settings.Json && !settings.Verbose
            ? await WithProgressAsync(cleaner, request, await CountCandidatesAsync(services, settings, context, cancellationToken), cancellationToken)
            : await cleaner.RunAsync(request, cancellationToken: cancellationToken);

        if (settings.Json)
        {
            context.Out.WriteLine(JsonReport.Write(report));
        }
        else
        {
            if (!streaming)
            {
                var printer = new JobPrinter(context, report.DryRun, settings.Compatible);
                foreach (var job in report.Jobs)
                {
                    printer.Report(job);
                }
            }

            if (settings.Compatible)
            {
                PrintClassicSummary(context, report);
            }
            else
            {
                PrintSummary(context, report, listedAll: streaming);
            }
        }

        if (settings.Json)
        {
            foreach (var failed in report.Jobs.Where(j => j.Outcome == JobCleanupOutcome.Failed))
            {
                JobPrinter.PrintFailures(context, failed);
            }
        }

        context.Out.Flush();
        foreach (var word in report.UnmappedStatuses)
        {
            // Never quiet: jobs with a status word no status has are kept forever until the word is mapped.
            context.Error.WriteLine($"warning: {word.Jobs} job(s) have the status '{word.Word}', which no status is mapped to, so they were not cleaned; add it to {session.StatusNamesKey}:{{Status}} (several words are separated by commas).");
        }

        if (report.Outcome == CleanupOutcome.Failed)
        {
            context.Error.WriteLine($"Cleanup failed: {report.Error}");
        }

        if (report.UnrecordedJobIds.Count > 0)
        {
            // Every one of them, not only the error's first few: an operator may need to check each.
            context.Error.WriteLine($"Deleted but not recorded cleaned ({report.UnrecordedJobIds.Count} job(s); the next run records them):");
            foreach (var id in report.UnrecordedJobIds)
            {
                context.Error.WriteLine($"  {id}");
            }
        }
        else if (report.Outcome == CleanupOutcome.LimitReached)
        {
            context.Error.WriteLine(report.Error);
        }

        await notifications.SendAsync(report, context, cancellationToken); // a failed notification is a warning, never the run's exit code
        return report.Succeeded ? ExitCodes.Success : ExitCodes.Failures;
    }

    private static bool Streams(CliSettings settings, CliContext context) => !settings.Json && !(context.IsTerminal && !settings.Verbose);

    // The same candidate query the engine will make, counted once, so the bar has a total.
    private static Task<long> CountCandidatesAsync(IServiceProvider services, CliSettings settings, CliContext context, CancellationToken cancellationToken)
    {
        var policy = Policies.RetentionPolicy.CreateBuilder()
            .AddDefaults(TimeSpan.FromHours(settings.SuccessRetentionHours.Value), TimeSpan.FromHours(settings.FailedRetentionHours.Value))
            .Build();
        var query = new Stores.CleanupCandidateQuery(policy.CandidateStatuses, context.Time.GetUtcNow() - policy.ShortestRetention, settings.BatchSize.Value);
        return services.GetRequiredService<Stores.ICleanupCandidateCounter>().CountCleanupCandidatesAsync(query, cancellationToken);
    }

    private static async Task<CleanupReport> WithProgressAsync(IJobCleaner cleaner, CleanupRequest request, long candidates, CancellationToken cancellationToken)
    {
        CleanupReport? report = null;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(request.DryRun ? "Measuring" : "Cleaning", maxValue: Math.Max(1, candidates));
                var progress = new Progress<CleanupProgress>(p =>
                {
                    task.Value = p.JobsScanned;
                    task.Description = $"{(p.DryRun ? "Measuring" : "Cleaning")}: {p.JobsCleaned} jobs, {ByteSize.Format(p.BytesFreed)}";
                });
                report = await cleaner.RunAsync(request, progress, cancellationToken);
                task.Value = task.MaxValue;
            });
        return report!;
    }

    // The disk space beside the files' size where the system says it and the two differ (small files hold whole blocks).
    private static string OnDisk(CleanupStats stats) =>
        stats.AllocatedBytesFreed > 0 && ByteSize.Format(stats.AllocatedBytesFreed) != ByteSize.Format(stats.BytesFreed) ? $" ({ByteSize.Format(stats.AllocatedBytesFreed)} on disk)" : string.Empty;

    // The scripts' summary: a line per status, then "completed successfully"; failures are on standard error already.
    private static void PrintClassicSummary(CliContext context, CleanupReport report)
    {
        var o = context.Out;
        var stats = report.Stats;
        if (report.DryRun)
        {
            o.WriteLine($"[DRY RUN] Summary: Would clean {stats.JobsCleaned} jobs, freeing ~{Display.ClassicSize(stats.BytesFreed)}");
            return;
        }

        foreach (var (status, word) in new[] { (JobStatus.Succeeded, "successful"), (JobStatus.Failed, "failed"), (JobStatus.Cancelled, "cancelled") })
        {
            if (stats.CleanedIn(status) is var count && (count > 0 || status != JobStatus.Cancelled))
            {
                o.WriteLine($"[INFO] Cleaned {count} {word} jobs (freed {Display.ClassicSize(stats.FreedIn(status))})");
            }
        }

        if (stats.JobsFailed == 0 && report.Outcome == CleanupOutcome.Completed)
        {
            o.WriteLine("[INFO] Cleanup completed successfully");
        }
    }

    private static void PrintSummary(CliContext context, CleanupReport report, bool listedAll)
    {
        var o = context.Out;
        var stats = report.Stats;
        if (report.DryRun)
        {
            o.WriteLine($"[DRY RUN] Summary: Would clean {stats.JobsCleaned} jobs, freeing ~{ByteSize.Format(stats.BytesFreed)}{OnDisk(stats)}");
        }
        else
        {
            foreach (var (status, word) in new[] { (JobStatus.Succeeded, "successful"), (JobStatus.Failed, "failed"), (JobStatus.Cancelled, "cancelled") })
            {
                var count = stats.CleanedIn(status);
                if (count > 0 || status != JobStatus.Cancelled)
                {
                    o.WriteLine($"Cleaned {count} {word} jobs (freed {ByteSize.Format(stats.FreedIn(status))})");
                }
            }

            if (OnDisk(stats).Length > 0)
            {
                o.WriteLine($"Disk space given back: {ByteSize.Format(stats.AllocatedBytesFreed)} (the files held {ByteSize.Format(stats.BytesFreed)})");
            }
        }

        if (report.JobsOmitted > 0 && !listedAll)
        {
            o.WriteLine($"({report.JobsOmitted} more jobs not listed)");
        }

        if (stats.JobsFailed > 0)
        {
            o.WriteLine($"{stats.JobsFailed} job(s) could not be cleaned and stay for the next run (see the errors above)");
        }
        else if (!report.DryRun && report.Outcome == CleanupOutcome.Completed)
        {
            o.WriteLine("Cleanup completed successfully");
        }
    }
}
