using System.CommandLine;
using System.Globalization;
using Retention.Cli.Settings;
using Retention.Stores;

namespace Retention.Cli.Commands;

/// <summary><c>retention stats</c>: the monitoring figures: storage by status, jobs cleaned in the last 24 hours, the last runs.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions { DryRun = null, Json = null, BatchSize = null, Workers = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };
        var command = new Command("stats", "Storage used by status, jobs cleaned and space freed in the last 24 hours, and the last runs.");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => true, cancellationToken);
            var now = context.Time.GetUtcNow();
            var (cleaned, megabytes) = await session.GetCleanedSinceAsync(now.AddHours(-24), cancellationToken);
            var usage = await session.Get<IStorageUsageStore>().GetStorageUsageAsync(cancellationToken);
            var runs = await session.Get<ICleanupRunStore>().GetRunsAsync(new CleanupRunQuery { Limit = 5 }, cancellationToken);
            var o = context.Out;
            o.WriteLine("Cleanup Metrics (Last 24h):");
            o.WriteLine($"  Jobs cleaned: {cleaned}");
            o.WriteLine($"  Space freed: {ByteSize.Format((long)(megabytes * 1048576))}");
            o.WriteLine();
            o.WriteLine("Current Usage:");
            foreach (var row in usage)
            {
                o.WriteLine($"  {row.Status}: {Jobs(row.Jobs)}, {ByteSize.Format(row.Bytes)}");
            }

            o.WriteLine();
            o.WriteLine("Last runs:");
            if (runs.Count == 0)
            {
                o.WriteLine("  (none recorded)");
            }

            foreach (var run in runs)
            {
                var started = run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                o.WriteLine($"  {started} UTC  {run.Outcome,-9} {(run.DryRun ? "dry run " : "        ")} {Jobs(run.JobsCleaned)}, {ByteSize.Format(run.BytesFreed)}{(run.JobsFailed > 0 ? $", {run.JobsFailed} failed" : string.Empty)}  ({run.Trigger})");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Jobs(long count) => count == 1 ? "1 job" : $"{count} jobs";
}
