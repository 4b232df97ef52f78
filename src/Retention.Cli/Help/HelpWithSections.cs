using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Retention.Cli.Help;

/// <summary>The standard help, then the command's examples, environment variables and exit codes.</summary>
internal sealed class HelpWithSections(HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var code = standard.Invoke(parseResult);
        if (CommandHelp.For(parseResult.CommandResult.Command.Name) is { } sections)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(sections.TrimEnd());
            parseResult.InvocationConfiguration.Output.WriteLine();
        }

        return code;
    }
}
