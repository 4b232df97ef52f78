using System.CommandLine;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Deletion;
using Retention.Orphans;

namespace Retention.Cli.Commands;

/// <summary><c>retention orphans</c>: paths under the roots that no job references, listed with sizes; deleted only with <c>--delete</c>.</summary>
internal static class OrphansCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions { DryRun = null, BatchSize = null, Workers = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };
        var delete = new Option<bool>("--delete") { Description = "Delete the orphans found (by default they are only listed)" };
        var minAge = new Option<string>("--min-age") { Description = "Never touch paths modified more recently than this (default: 24h)" };
        var command = new Command("orphans", "List files and folders under the data directories that no job references; --delete removes them.") { delete, minAge };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            var age = TimeSpan.FromHours(24);
            if (parse.GetValue(minAge) is { } text && !(Policies.RetentionPeriod.TryParse(text, out var period, out _) && period.Kind == Policies.RetentionPeriodKind.After && (age = period.Age) > TimeSpan.Zero))
            {
                throw new UsageException($"--min-age: '{text}' is not a positive age (for example 24h, 7d).");
            }

            var deleting = parse.GetValue(delete);
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => !deleting, cancellationToken);
            var report = await session.Get<IOrphanSweeper>().SweepAsync(new OrphanSweepRequest { Delete = deleting, MinimumAge = age }, cancellationToken);
            var now = context.Time.GetUtcNow();
            if (session.Settings.Json)
            {
                context.Out.WriteLine(OrphansJson.Write(report, now));
                return report.Orphans.Any(o => o.Outcome is DeletionOutcome.Refused or DeletionOutcome.Failed) ? ExitCodes.Failures : ExitCodes.Success;
            }

            foreach (var orphan in report.Orphans)
            {
                var verb = orphan.Outcome switch
                {
                    DeletionOutcome.Deleted => "Deleted",
                    DeletionOutcome.Measured => "Orphaned",
                    _ => "Could not delete",
                };
                context.Out.WriteLine($"{verb}: {Display.Path(context, orphan.Path, orphan.IsDirectory)} ({ByteSize.Format(orphan.Bytes)}, {Policies.RetentionPeriod.Describe(now - orphan.LastWrite)} old){(orphan.Reason is null ? string.Empty : ": " + orphan.Reason)}");
            }

            context.Out.WriteLine($"{(deleting ? "Deleted" : "Found")} {report.Orphans.Count(o => o.Outcome is DeletionOutcome.Deleted or DeletionOutcome.Measured)} orphaned path(s), {ByteSize.Format(report.Bytes)}{(report.TooYoung > 0 ? $"; {report.TooYoung} unreferenced path(s) younger than {Policies.RetentionPeriod.Describe(age)} left alone" : string.Empty)}");
            if (!deleting && report.Orphans.Count > 0)
            {
                context.Out.WriteLine("Run again with --delete to remove them.");
            }

            return report.Orphans.Any(o => o.Outcome is DeletionOutcome.Refused or DeletionOutcome.Failed) ? ExitCodes.Failures : ExitCodes.Success;
        }));
        return command;
    }
}
