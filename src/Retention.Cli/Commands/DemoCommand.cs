using System.CommandLine;
using Retention.Cli.Demo;

namespace Retention.Cli.Commands;

/// <summary><c>retention demo</c>: creates a demo installation (if absent) and previews its cleanup, so a new user sees the tool on their own disk.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var dir = new Option<string>("--dir") { Description = "Where to create the demo (default: ./retention-demo)", DefaultValueFactory = _ => "retention-demo" };
        var jobs = new Option<int>("--jobs") { Description = "How many jobs (default: 36)", DefaultValueFactory = _ => 36 };
        var command = new Command("demo", "Create a demo jobs.db with uploads/ and results/ (if absent), then preview its cleanup with --dry-run --verbose.") { dir, jobs };
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            var directory = context.FullPath(parse.GetValue(dir)!);
            var count = parse.GetValue(jobs);
            if (count < 1)
            {
                throw new UsageException($"--jobs: must be at least 1 (was {count}).");
            }

            if (File.Exists(Path.Combine(directory, "jobs.db")))
            {
                await context.Out.WriteLineAsync($"Using the existing demo in {directory}");
            }
            else
            {
                var created = await DemoDataset.CreateAsync(directory, count, context.Time.GetUtcNow(), cancellationToken);
                await context.Out.WriteLineAsync($"Created a demo in {directory}: jobs.db with {created} jobs, uploads/ and results/");
            }

            await context.Out.WriteLineAsync("$ retention clean --dry-run --verbose");
            var demo = context with { WorkingDirectory = directory };
            var exit = await Cli.RunAsync(["clean", "--dry-run", "--verbose"], demo, cancellationToken);
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"Next, in {directory}: 'retention clean' to clean, 'retention stats', 'retention explain <job id>'.");
            return exit;
        }));
        return command;
    }
}
