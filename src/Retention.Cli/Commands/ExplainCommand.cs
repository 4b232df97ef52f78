using System.CommandLine;
using Retention.Cleanup;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Policies;

namespace Retention.Cli.Commands;

/// <summary><c>retention explain JOB_ID</c>: why each of a job's artifacts is kept or due, and when.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions { DryRun = null, BatchSize = null, Workers = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };
        var jobId = new Argument<string>("JOB_ID") { Description = "The job to explain" };
        var command = new Command("explain", "Why each of a job's artifacts is kept or due, and when.") { jobId };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => true, cancellationToken);
            var id = parse.GetValue(jobId)!;
            var decision = await session.Get<IJobExplainer>().ExplainAsync(id, cancellationToken)
                ?? throw new UsageException($"JOB_ID: there is no job '{id}' in {session.Settings.DatabasePath.Value}.");
            var job = decision.Job;
            var o = context.Out;
            if (session.Settings.Json)
            {
                o.WriteLine(ExplainJson.Write(decision));
                return ExitCodes.Success;
            }

            var status = job.UnmappedStatus is { } word ? $"status '{word}', mapped to no status" : Display.Status(job.Status);
            o.WriteLine($"{job.Id} ({status}{(job.JobType is null ? string.Empty : ", " + job.JobType)}), {(job.Status.IsActive() ? "started" : "finished")} {RetentionPeriod.Describe(decision.Age)} ago{(job.DataCleanedAt is { } at ? $", data cleaned {at:yyyy-MM-dd HH:mm} UTC" : string.Empty)}");
            o.WriteLine($"  {decision.Reason}");
            foreach (var hold in job.Holds.Where(h => h.IsInForceAt(decision.EvaluatedAt)))
            {
                o.WriteLine($"  HOLD {hold.Id} by {hold.Owner} since {hold.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(hold.Until is { } end ? $" until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : string.Empty)}: {hold.Reason}");
            }
            if (decision.Artifacts.Count == 0)
            {
                o.WriteLine("  No artifacts found (none recorded in the store, none under the conventions).");
            }

            foreach (var artifact in decision.Artifacts)
            {
                var verdict = artifact.Verdict == ArtifactVerdict.Delete ? "DUE " : "KEEP";
                var isDirectory = Directory.Exists(artifact.Artifact.Path);
                o.WriteLine($"  {verdict} {artifact.Artifact.Kind.Name,-7} {Display.Path(context, artifact.Artifact.Path, isDirectory)}: {artifact.Reason}");
            }

            if (decision.NextDueAt is { } next)
            {
                o.WriteLine($"  Next due: {next.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
