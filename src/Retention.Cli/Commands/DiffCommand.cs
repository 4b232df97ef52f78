using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Cleanup.Outlook;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Policies;

namespace Retention.Cli.Commands;

/// <summary>
/// <c>retention diff CANDIDATE</c>: what a candidate configuration's retention would change before it is applied, by
/// rule: the jobs and bytes that become due, stop being due, or fall due earlier or later. Nothing is touched.
/// </summary>
internal static class DiffCommand
{
    private static readonly (PolicyChangeKind Kind, string Title)[] Kinds =
    [
        (PolicyChangeKind.BecomesDue, "Becomes due now (the next run deletes it)"),
        (PolicyChangeKind.NoLongerDue, "No longer due (kept)"),
        (PolicyChangeKind.DueEarlier, "Due earlier"),
        (PolicyChangeKind.DueLater, "Due later"),
    ];

    public static Command Create(CliContext context)
    {
        var options = new CommonOptions { DryRun = null, BatchSize = null, Workers = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };
        var candidate = new Argument<string>("CANDIDATE") { Description = "A JSON or YAML file with the retention to compare, in the shape --config reads" };
        var command = new Command("diff", "Compare a candidate configuration's retention with the one in force: what becomes due, stops being due or changes date, by rule. Changes nothing.") { candidate };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => true, cancellationToken);
            var file = parse.GetValue(candidate)!;
            var policy = CandidatePolicy(parse, options, context, file);
            var comparison = await session.Get<IJobExplainer>().CompareAsync(policy, cancellationToken);
            var o = context.Out;
            if (session.Settings.Json)
            {
                o.WriteLine(ComparisonJson.Write(comparison));
                return ExitCodes.Success;
            }

            o.WriteLine($"{file} compared with the retention in force, over {Jobs(comparison.JobsScanned)} whose data is not cleaned:");
            if (comparison.Changes.Count == 0)
            {
                o.WriteLine("  No job's data changes.");
            }

            foreach (var (kind, title) in Kinds)
            {
                var (jobs, bytes) = comparison.Total(kind);
                if (jobs == 0)
                {
                    continue;
                }

                o.WriteLine($"  {title}: {Jobs(jobs)}, {ByteSize.Format(bytes)}");
                foreach (var change in comparison.Changes.Where(c => c.Kind == kind))
                {
                    var more = change.Jobs > change.JobIds.Count ? ", ..." : string.Empty;
                    o.WriteLine($"    {change.Rule}: {Jobs(change.Jobs)}, {ByteSize.Format(change.Bytes)} ({string.Join(", ", change.JobIds)}{more})");
                }
            }

            o.WriteLine("Nothing was changed.");
            return ExitCodes.Success;
        }));
        return command;
    }

    // The candidate's retention, read as the tool reads its own configuration (flags and variables still apply over the file).
    private static RetentionPolicy CandidatePolicy(System.CommandLine.ParseResult parse, CommonOptions options, CliContext context, string file)
    {
        if (!File.Exists(context.FullPath(file)))
        {
            throw new UsageException($"CANDIDATE: there is no file '{file}'.");
        }

        var settings = SettingsResolver.Resolve(parse, options, context, configPath: file);
        using var services = CliHost.Build(settings, context, readOnly: true);
        try
        {
            return services.GetRequiredService<IOptions<JobCleanupOptions>>().Value.BuildPolicy();
        }
        catch (Exception ex) when (ex is OptionsValidationException or RetentionConfigurationException)
        {
            throw new UsageException($"{file}: {ex.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static string Jobs(long count) => count == 1 ? "1 job" : $"{count} jobs";
}
