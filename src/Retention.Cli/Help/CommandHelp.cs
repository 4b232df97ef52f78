namespace Retention.Cli.Help;

/// <summary>
/// What each command's help adds below its options: examples, the environment variables it reads, and its exit codes.
/// The whole list of settings is in docs/cli.md and docs/configuration.md; these are the ones a reader reaches for.
/// </summary>
internal static class CommandHelp
{
    private const string StoreVariables = """
          JobCleanup__Sqlite__DatabasePath          the SQLite jobs database (--db-path)
          JobCleanup__PostgreSql__ConnectionString  the PostgreSQL store instead (--postgres)
          JobCleanup__Roots__uploads, __results     the data folders (--uploads-dir, --results-dir)
          JobCleanup__*                             any setting of the library's JobCleanup section (docs/configuration.md)
        """;

    private const string ExitCodes = """
        Exit codes:
          0  done
          1  done, but something could not be done (listed on standard error); what is left waits for the next run
          2  usage or configuration error, named on standard error; nothing was changed
        """;

    private static readonly Dictionary<string, string> Sections = new(StringComparer.Ordinal)
    {
        ["retention"] = $"""
            Examples:
              retention demo                                  try it on a generated jobs.db
              retention clean --dry-run --verbose             what would go, and why
              retention explain job-20240115-123456           why a job's data is kept or due
              retention completion bash >> ~/.bashrc          complete commands and options in bash

            Settings come from flags, then JobCleanup__* variables, then a --config file, then the defaults.

            {ExitCodes}
            """,
        ["clean"] = $"""
            Examples:
              retention clean --dry-run --verbose
              retention clean --db-path /srv/app/jobs.db --uploads-dir /srv/app/uploads --results-dir /srv/app/results
              retention clean --config appsettings.json       the JobCleanup section of a host's settings
              JobCleanup__SucceededRetention=14d retention clean --json
              retention clean --compatible --verbose >> /var/log/cleanup.log

            Environment variables:
              JobCleanup__SucceededRetention, __FailedRetention   7d, 12h, 00:30:00 (--success-retention, --failed-retention in hours)
              JobCleanup__DryRun, __BatchSize, __MaxParallelDeletions
            {StoreVariables}

            {ExitCodes}
            """,
        ["reap"] = $"""
            Examples:
              retention reap --timeout 300 --buffer 60        every few minutes from cron
              retention reap --startup                        after a crash, before workers start
              JobCleanup__StaleJobs__Statuses__0=Running retention reap

            Environment variables:
              JobCleanup__StaleJobs__*                        which statuses count as stuck, the error message written
            {StoreVariables}

            {ExitCodes}
            """,
        ["stats"] = $"""
            Examples:
              retention stats
              retention stats --json | jq '.usage'

            Environment variables:
            {StoreVariables}

            {ExitCodes}
            """,
        ["explain"] = $"""
            Examples:
              retention explain job-20240115-123456
              JobCleanup__SucceededRetention=3d retention explain job-20240115-123456   the same job under another policy

            Environment variables:
            {StoreVariables}

            {ExitCodes}
            """,
        ["orphans"] = $"""
            Examples:
              retention orphans                               list, delete nothing
              retention orphans --min-age 7d --delete
              retention orphans --json

            Environment variables:
            {StoreVariables}

            {ExitCodes}
            """,
        ["schedule"] = $"""
            Examples:
              retention schedule print --cron
              retention schedule install --systemd
              retention schedule print --kubernetes > cleanup-cronjob.yaml

            {ExitCodes}
            """,
        ["demo"] = $"""
            Examples:
              retention demo && cd retention-demo && retention clean --dry-run

            {ExitCodes}
            """,
        ["completion"] = """
            Examples:
              retention completion bash >> ~/.bashrc
              retention completion zsh >> ~/.zshrc
              retention completion pwsh >> $PROFILE

            Exit codes:
              0  printed
              2  a shell that is not bash, zsh or pwsh
            """,
    };

    /// <summary>The sections for the command named <paramref name="command"/>, or <see langword="null"/>.</summary>
    public static string? For(string command) => Sections.GetValueOrDefault(command);
}
