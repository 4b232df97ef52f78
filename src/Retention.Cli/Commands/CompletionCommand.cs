using System.CommandLine;

namespace Retention.Cli.Commands;

/// <summary>
/// <c>retention completion bash|zsh|pwsh</c>: a script that completes commands, options and values by asking the tool
/// itself (System.CommandLine's <c>[suggest]</c> directive), so it never falls behind the tool's options.
/// </summary>
internal static class CompletionCommand
{
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["bash"] = """
            # retention: completion for bash (retention completion bash >> ~/.bashrc)
            _retention_complete() {
                local IFS=$'\n'
                COMPREPLY=($(compgen -W "$(retention "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
            }
            complete -o default -F _retention_complete retention
            """,
        ["zsh"] = """
            # retention: completion for zsh (retention completion zsh >> ~/.zshrc)
            _retention_complete() {
                local -a suggestions
                suggestions=("${(@f)$(retention "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
                compadd -a suggestions
            }
            compdef _retention_complete retention
            """,
        ["pwsh"] = """
            # retention: completion for PowerShell (retention completion pwsh >> $PROFILE)
            Register-ArgumentCompleter -Native -CommandName retention -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                retention "[suggest:$cursorPosition]" "$commandAst" | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
    };

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or pwsh" };
        shell.AcceptOnlyFromAmong([.. Scripts.Keys]);
        var command = new Command("completion", "Print a shell completion script for commands and options (bash, zsh or pwsh).") { shell };
        command.SetAction(parse =>
        {
            context.Out.WriteLine(Scripts[parse.GetValue(shell)!]);
            return ExitCodes.Success;
        });
        return command;
    }
}
