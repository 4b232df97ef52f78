using System.CommandLine;
using System.CommandLine.Help;
using Retention.Cli.Help;
using Retention.Cli.Commands;

namespace Retention.Cli;

/// <summary>The <c>retention</c> tool: builds the commands and maps every failure to an exit code and one clear line.</summary>
public static class Cli
{
    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="context">Output, working directory, environment and clock.</param>
    /// <param name="cancellationToken">Stops a run between jobs (Ctrl+C).</param>
    /// <returns>0 done, 1 done with failures, 2 usage or configuration error.</returns>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand("Retention: keep a job-processing application's disk in check. Preview and clean finished jobs' data, reap stuck jobs, explain decisions.")
        {
            CleanCommand.Create(context),
            ReapCommand.Create(context),
            StatsCommand.Create(context),
            ExplainCommand.Create(context),
            DiffCommand.Create(context),
            HoldCommand.Create(context),
            OrphansCommand.Create(context),
            ScheduleCommand.Create(context),
            DemoCommand.Create(context),
            CompletionCommand.Create(context),
        };
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new HelpWithSections((HelpAction)help.Action!);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpWithSections)
        {
            // "Required command was not provided" says nothing more when the mistyped command is named below.
            foreach (var error in parse.Errors.Where(e => parse.UnmatchedTokens.Count == 0 || parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))))
            {
                await context.Error.WriteLineAsync(WithNearest(error.Message, parse));
            }

            var command = parse.CommandResult.Command;
            await context.Error.WriteLineAsync($"Run 'retention {(command == root ? string.Empty : command.Name + " ")}--help' for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    // "Unrecognized command or argument 'clen'." gains the nearest command or option of where it was typed.
    private static string WithNearest(string message, ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var known = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
            .Concat(command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)));
        foreach (var token in parse.UnmatchedTokens)
        {
            if (message.Contains($"'{token}'", StringComparison.Ordinal) && NearestName.Find(token, known) is { } nearest)
            {
                return $"{message.TrimEnd('.')}; did you mean '{nearest}'?";
            }
        }

        return message;
    }

    /// <summary>Runs a command body: a user's mistake is one line on stderr and exit code 2, never a stack trace.</summary>
    internal static async Task<int> Guard(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException ex)
        {
            return await FailAsync(context, "error: " + ex.Message, ExitCodes.Usage);
        }
        catch (Retention.Holds.JobHoldRefusedException ex)
        {
            return await FailAsync(context, "error: " + ex.Message, ExitCodes.Usage);
        }
        catch (RetentionConfigurationException ex)
        {
            return await FailAsync(context, "error: " + ex.Message.ReplaceLineEndings(" "), ExitCodes.Usage);
        }
        catch (Exception ex) when (ex is RetentionException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            // Not the user's mistake, but not a crash either: a locked or damaged database, a disk error. One line, exit 1.
            return await FailAsync(context, "error: " + ex.Message.ReplaceLineEndings(" "), ExitCodes.Failures);
        }
        catch (OperationCanceledException)
        {
            return await FailAsync(context, "Cancelled.", ExitCodes.Failures);
        }
    }

    // Standard output may be buffered: flushed first, so a log that takes both keeps the order.
    private static async Task<int> FailAsync(CliContext context, string line, int exitCode)
    {
        await context.Out.FlushAsync();
        await context.Error.WriteLineAsync(line);
        return exitCode;
    }
}
