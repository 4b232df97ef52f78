using Retention.Cleanup;
using Retention.Deletion;

namespace Retention.Cli.Output;

/// <summary>
/// Prints each job a run acted on in the tool's words (<c>Cleaning job 42 (status: completed, age: 9.0 days)</c>, then
/// a line per artifact), and its failures on standard error. Fed by the run as it goes, or by a report afterwards. In
/// the classic format (<c>--compatible</c>) the lines are the old cleanup scripts' (<c>[INFO] Checking job 42
/// (completed, 9 days old)</c>, <c>[INFO] Deleting ...</c>, <c>[INFO] Updated database: marked job as cleaned</c>).
/// </summary>
internal sealed class JobPrinter(CliContext context, bool dryRun, bool classic = false) : IProgress<JobCleanupDetail>
{
    private readonly string _prefix = dryRun ? "[DRY RUN] " : string.Empty;

    public void Report(JobCleanupDetail value)
    {
        if (classic && value.Outcome is JobCleanupOutcome.Cleaned or JobCleanupOutcome.PartlyCleaned or JobCleanupOutcome.Failed)
        {
            ReportClassic(value);
        }
        else if (value.Outcome is JobCleanupOutcome.Cleaned or JobCleanupOutcome.PartlyCleaned or JobCleanupOutcome.Failed)
        {
            var o = context.Out;
            o.WriteLine($"{_prefix}{(dryRun ? "Would clean" : "Cleaning")} job {value.JobId} (status: {Display.Status(value.Status)}, age: {Display.Age(value)})");
            foreach (var artifact in value.Artifacts)
            {
                if (artifact.Outcome is DeletionOutcome.Deleted or DeletionOutcome.Measured)
                {
                    o.WriteLine($"{_prefix}{(dryRun ? "Would delete:" : "Deleted")} {Display.Path(context, artifact.Path, artifact.IsDirectory)} ({ByteSize.Format(artifact.Bytes)})");
                }
            }
        }
        else if (value.Outcome == JobCleanupOutcome.Protected && !classic)
        {
            // A held job (a dry run reads them; a live run meets one held after it was read): which hold keeps it.
            context.Out.WriteLine($"{_prefix}Kept job {value.JobId}: {value.Reason}");
        }

        if (value.Outcome == JobCleanupOutcome.Failed)
        {
            PrintFailures(context, value);
        }
    }

    // The job is reported once its batch is recorded, so "marked" is true when it is printed. Inputs come before outputs,
    // as the scripts listed them; a dry run shows folders' sizes and not files', as they did.
    private void ReportClassic(JobCleanupDetail value)
    {
        var o = context.Out;
        o.WriteLine(dryRun
            ? $"[DRY RUN] Would clean job {value.JobId} (status: {Display.Status(value.Status)}, age: {value.AgeDays.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} days)"
            : $"[INFO] Checking job {value.JobId} ({Display.Status(value.Status)}, {Display.ClassicAge(value.Age)})");
        foreach (var artifact in value.Artifacts.OrderBy(a => a.Kind == ArtifactKind.Input ? 0 : 1))
        {
            if (artifact.Outcome is DeletionOutcome.Deleted or DeletionOutcome.Measured)
            {
                var path = Display.Path(context, artifact.Path, artifact.IsDirectory);
                o.WriteLine(dryRun
                    ? $"[DRY RUN] Would delete: {path}{(artifact.IsDirectory ? $" ({Display.ClassicSize(artifact.Bytes)})" : string.Empty)}"
                    : $"[INFO] Deleting {path} ({Display.ClassicSize(artifact.Bytes)})");
            }
        }

        if (!dryRun && value.Outcome == JobCleanupOutcome.Cleaned)
        {
            o.WriteLine("[INFO] Updated database: marked job as cleaned");
        }
    }

    /// <summary>One line on standard error per artifact that was refused or failed; standard output is flushed first, so a shared log keeps the order.</summary>
    public static void PrintFailures(CliContext context, JobCleanupDetail job)
    {
        foreach (var artifact in job.Artifacts)
        {
            if (artifact.Outcome is DeletionOutcome.Refused or DeletionOutcome.Failed)
            {
                context.Out.Flush();
                context.Error.WriteLine($"Failed: job {job.JobId}: {Display.Path(context, artifact.Path, artifact.IsDirectory)}: {artifact.Reason}");
            }
        }
    }
}
