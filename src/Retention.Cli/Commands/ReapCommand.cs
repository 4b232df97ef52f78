using System.CommandLine;
using System.Globalization;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Reaping;

namespace Retention.Cli.Commands;

/// <summary><c>retention reap</c>: fails jobs stuck past their timeout, and the start-up reset.</summary>
internal static class ReapCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions { DryRun = null, BatchSize = null, Workers = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };
        var timeout = new Option<string>("--timeout") { Description = "How long a job may run: seconds, or 5m, 6h, 1d (default: 1d)" };
        var buffer = new Option<string>("--buffer") { Description = "Grace added to the timeout (default: 60 seconds)" };
        var startup = new Option<bool>("--startup") { Description = "Fail every running or scheduled job a previous process left behind, whatever its age" };
        var command = new Command("reap", "Mark jobs stuck running or pending as failed, with an explanatory error.") { timeout, buffer, startup };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            var timeoutValue = Duration(parse.GetValue(timeout), "--timeout", TimeSpan.FromDays(1));
            var bufferValue = Duration(parse.GetValue(buffer), "--buffer", TimeSpan.FromMinutes(1), allowZero: true);
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => false, cancellationToken, (_, o) => (o.StaleJobs.ExecutionTimeout, o.StaleJobs.Buffer) = (timeoutValue, bufferValue));
            var reaper = session.Get<IStaleJobReaper>();
            var o = context.Out;
            if (session.Settings.Json)
            {
                var reaped = parse.GetValue(startup) ? await reaper.ReapAtStartupAsync(cancellationToken) : await reaper.ReapStuckJobsAsync(cancellationToken);
                o.WriteLine(ReapJson.Write(reaped));
            }
            else if (parse.GetValue(startup))
            {
                o.WriteLine(new string('=', 80));
                o.WriteLine("STARTUP: Cleaning up stale jobs from previous session...");
                o.WriteLine(new string('=', 80));
                var report = await reaper.ReapAtStartupAsync(cancellationToken);
                o.WriteLine(report.JobsFound == 0 ? "Startup: No stale jobs found" : $"Startup: Resetting {report.JobsFound} stale RUNNING/SCHEDULED jobs to FAILED");
                foreach (var job in report.Reaped)
                {
                    o.WriteLine($"  - Clearing job: {job.JobId} ({job.JobType ?? "untyped"})");
                }

                o.WriteLine($"STARTUP: Job cleanup completed ({report.Reaped.Count} reset{(report.JobsChanged > 0 ? $", {report.JobsChanged} changed meanwhile and left alone" : string.Empty)})");
            }
            else
            {
                var report = await reaper.ReapStuckJobsAsync(cancellationToken);
                o.WriteLine($"[Cleanup] Found {report.JobsFound} stuck execution(s)");
                foreach (var job in report.Reaped)
                {
                    o.WriteLine($"[Cleanup] Marking execution {job.JobId} as failed (runtime: {Durations.ToClock(job.Runtime)})");
                }

                o.WriteLine($"Successfully cleaned up {report.Reaped.Count} stuck execution(s).");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static TimeSpan Duration(string? text, string flag, TimeSpan fallback, bool allowZero = false)
    {
        if (text is null)
        {
            return fallback;
        }

        TimeSpan value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
        }
        else if (Policies.RetentionPeriod.TryParse(text, out var period, out _) && period.Kind == Policies.RetentionPeriodKind.After)
        {
            value = period.Age;
        }
        else
        {
            throw new UsageException($"{flag}: '{text}' is not a duration (seconds, or 5m, 6h, 1d).");
        }

        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw new UsageException($"{flag}: must be {(allowZero ? "zero or more" : "positive")} (was {text}).");
        }

        return value;
    }
}
