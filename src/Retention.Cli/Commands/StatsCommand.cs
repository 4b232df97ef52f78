using System.CommandLine;
using System.Globalization;
using Retention.Cleanup;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Stores;

namespace Retention.Cli.Commands;

/// <summary><c>retention stats</c>: the monitoring figures: storage by status, jobs cleaned in the last 24 hours, data past due and still on disk, the last runs.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions { DryRun = null, BatchSize = null, Workers = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };
        var command = new Command("stats", "Storage used by status, jobs cleaned and space freed in the last 24 hours, and the last runs.");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => true, cancellationToken);
            var now = context.Time.GetUtcNow();
            var (cleaned, megabytes) = await session.GetCleanedSinceAsync(now.AddHours(-24), cancellationToken);
            var usage = await session.Get<IStorageUsageStore>().GetStorageUsageAsync(cancellationToken);
            var unmapped = await session.Get<IJobExplainer>().FindUnmappedStatusesAsync(cancellationToken);
            var outlook = await session.Get<IJobExplainer>().GetOutlookAsync(TimeSpan.FromDays(1), cancellationToken);

            // A store that records no sizes would say 0 B for every status: the disk is measured instead, and the output says so.
            var measured = usage.Sum(u => u.Jobs) > 0 && usage.All(u => u.Bytes == 0);
            if (measured)
            {
                usage = [.. (await session.Get<IJobExplainer>().MeasureStorageAsync(cancellationToken))
                    .Select(u => JobStatusNames.TryParse(u.Status, out var status) ? u with { Status = Display.Status(status) } : u)
                    .OrderBy(u => u.Status, StringComparer.Ordinal)];
            }

            var runs = await session.Get<ICleanupRunStore>().GetRunsAsync(new CleanupRunQuery { Limit = 5 }, cancellationToken);
            var o = context.Out;
            if (session.Settings.Json)
            {
                o.WriteLine(StatsJson.Write(cleaned, megabytes, usage, measured, unmapped, outlook, runs));
                return ExitCodes.Success;
            }

            o.WriteLine("Cleanup Metrics (Last 24h):");
            o.WriteLine($"  Jobs cleaned: {cleaned}");
            o.WriteLine($"  Space freed: {ByteSize.Format((long)(megabytes * 1048576))}");
            o.WriteLine();
            o.WriteLine(measured ? "Current Usage (measured on disk: the store records no sizes):" : "Current Usage:");
            foreach (var row in usage)
            {
                o.WriteLine($"  {row.Status}: {Jobs(row.Jobs)}, {ByteSize.Format(row.Bytes)}");
            }

            if (unmapped.Count > 0)
            {
                o.WriteLine();
                o.WriteLine("Status words mapped to no status (never cleaned):");
                foreach (var word in unmapped)
                {
                    o.WriteLine($"  {word.Word}: {Jobs(word.Jobs)}; add it to {session.StatusNamesKey}:{{Status}}");
                }
            }

            // Data a run should have deleted and did not: a stopped schedule, a job that keeps failing (see docs/governance.md).
            o.WriteLine();
            o.WriteLine(outlook.OverdueJobs == 0
                ? "Past due, still on disk: none"
                : $"Past due, still on disk: {Jobs(outlook.OverdueJobs)}, {ByteSize.Format(outlook.OverdueBytes)}{(outlook.OldestOverdueSince is { } since ? $", the oldest due since {Utc(since)}" : string.Empty)}");
            foreach (var job in outlook.Overdue.Take(5))
            {
                o.WriteLine($"  {job.JobId} ({job.Status}, {ByteSize.Format(job.Bytes)}){(job.DueAt is { } due ? $", due since {Utc(due)}" : string.Empty)}");
            }

            o.WriteLine($"Due within 24 hours: {Jobs(outlook.UpcomingJobs)}, {ByteSize.Format(outlook.UpcomingBytes)}");
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

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Jobs(long count) => count == 1 ? "1 job" : $"{count} jobs";
}
