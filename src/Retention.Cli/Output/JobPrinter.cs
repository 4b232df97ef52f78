using Retention.Cleanup;
using Retention.Deletion;

namespace Retention.Cli.Output;

/// <summary>
/// Prints each job a run acted on in the tool's words (<c>Cleaning job 42 (status: completed, age: 9.0 days)</c>, then
/// a line per artifact), and its failures on standard error. Fed by the run as it goes, or by a report afterwards.
/// </summary>
internal sealed class JobPrinter(CliContext context, bool dryRun) : IProgress<JobCleanupDetail>
{
    private readonly string _prefix = dryRun ? "[DRY RUN] " : string.Empty;

    public void Report(JobCleanupDetail value)
    {
        if (value.Outcome is JobCleanupOutcome.Cleaned or JobCleanupOutcome.PartlyCleaned or JobCleanupOutcome.Failed)
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

        if (value.Outcome == JobCleanupOutcome.Failed)
        {
            PrintFailures(context, value);
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
