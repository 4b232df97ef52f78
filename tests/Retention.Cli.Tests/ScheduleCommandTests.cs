namespace Retention.Cli.Tests;

/// <summary>Schedules are installed under a temporary HOME, with a stand-in crontab that keeps its table there: never the machine's own.</summary>
public sealed class ScheduleCommandTests : IDisposable
{
    private readonly Installation _site = new();
    private readonly string _home;

    public ScheduleCommandTests()
    {
        _home = Directory.CreateDirectory(Path.Combine(_site.Root, "home")).FullName;
        var crontab = Path.Combine(_home, "fake-crontab");
        File.WriteAllText(crontab, """
            #!/bin/sh
            table="$HOME/crontab.txt"
            if [ "$1" = "-l" ]; then
              if [ -f "$table" ]; then cat "$table"; else echo "no crontab for tester" >&2; exit 1; fi
            elif [ "$1" = "-" ]; then
              cat > "$table"
            fi
            """.Replace("\r", string.Empty, StringComparison.Ordinal));
        File.SetUnixFileMode(crontab, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _site.Environment["HOME"] = _home;
        _site.Environment["PATH"] = "/usr/bin:/bin";
        _site.Environment["RETENTION_CRONTAB"] = crontab;
        _site.Environment["RETENTION_TOOL_COMMAND"] = "retention";
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Print_cron_is_the_seeds_line_filled_in_for_this_installation()
    {
        var (exit, output, _) = await _site.Run("schedule", "print", "--cron");

        Assert.Equal(0, exit);
        Assert.Contains($"0 2 * * * cd {_site.Root} && retention clean --db-path {_site.Db} --uploads-dir {_site.Root}/uploads --results-dir {_site.Root}/results --success-retention 168 --failed-retention 12 --batch-size 100 --workers 4 >> {_site.Root}/cleanup.log 2>&1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_systemd_and_kubernetes_fill_in_the_schedule_and_paths()
    {
        var systemd = await _site.Run("schedule", "print", "--systemd", "--at", "30 3 * * 0");
        var kubernetes = await _site.Run("schedule", "print", "--kubernetes");

        Assert.Contains("OnCalendar=Sun *-*-* 03:30:00", systemd.Out, StringComparison.Ordinal);
        Assert.Contains("Persistent=true", systemd.Out, StringComparison.Ordinal);
        Assert.Contains($"WorkingDirectory={_site.Root}", systemd.Out, StringComparison.Ordinal);
        Assert.Contains("schedule: \"0 2 * * *\"", kubernetes.Out, StringComparison.Ordinal);
        Assert.Contains($"value: \"{_site.Db}\"", kubernetes.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cron_install_status_remove_keep_the_rest_of_the_table()
    {
        await File.WriteAllTextAsync(Path.Combine(_home, "crontab.txt"), "15 * * * * /usr/local/bin/backup\n");

        var install = await _site.Run("schedule", "install", "--cron");
        var again = await _site.Run("schedule", "install", "--cron", "--at", "0 4 * * *");
        var table = await File.ReadAllTextAsync(Path.Combine(_home, "crontab.txt"));
        var status = await _site.Run("schedule", "status", "--cron");
        var remove = await _site.Run("schedule", "remove", "--cron");

        Assert.Equal((0, 0, 0, 0), (install.Exit, again.Exit, status.Exit, remove.Exit));
        Assert.Contains("15 * * * * /usr/local/bin/backup", table, StringComparison.Ordinal);
        Assert.Single(table.Split('\n'), l => l.Contains("retention clean --db-path", StringComparison.Ordinal));
        Assert.Contains("0 4 * * * cd ", table, StringComparison.Ordinal);
        Assert.Contains("The cron entry is installed", status.Out, StringComparison.Ordinal);
        Assert.Equal("15 * * * * /usr/local/bin/backup\n", await File.ReadAllTextAsync(Path.Combine(_home, "crontab.txt")));
    }

    [Fact]
    public async Task Systemd_install_status_remove_write_user_units_under_home()
    {
        var install = await _site.Run("schedule", "install", "--systemd");
        var units = Path.Combine(_home, ".config", "systemd", "user");
        var installed = File.Exists(Path.Combine(units, "retention-cleanup.service")) && File.Exists(Path.Combine(units, "retention-cleanup.timer"));
        var status = await _site.Run("schedule", "status", "--systemd");
        var statusJson = await _site.Run("schedule", "status", "--systemd", "--json");
        var remove = await _site.Run("schedule", "remove", "--systemd");
        var removedJson = await _site.Run("schedule", "status", "--systemd", "--json");

        Assert.Equal(0, install.Exit);
        Assert.True(installed);
        Assert.Contains("are installed", status.Out, StringComparison.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse(statusJson.Out))
        {
            Assert.Equal(("systemd", true, units), (json.RootElement.GetProperty("target").GetString(), json.RootElement.GetProperty("installed").GetBoolean(), json.RootElement.GetProperty("where").GetString()));
            Assert.Contains("OnCalendar=", json.RootElement.GetProperty("entry").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, remove.Exit);
        Assert.False(File.Exists(Path.Combine(units, "retention-cleanup.timer")));
        using var removed = System.Text.Json.JsonDocument.Parse(removedJson.Out);
        Assert.False(removed.RootElement.GetProperty("installed").GetBoolean());
    }

    [Theory]
    [InlineData("name exactly one of --cron, --systemd, --kubernetes", "schedule", "print")]
    [InlineData("name exactly one of --cron, --systemd, --kubernetes", "schedule", "print", "--cron", "--systemd")]
    [InlineData("--at: 'daily' is not a schedule", "schedule", "print", "--cron", "--at", "daily")]
    [InlineData("--pvc-claim: only with --kubernetes", "schedule", "print", "--cron", "--pvc-claim", "x")]
    [InlineData("--kubernetes is print only", "schedule", "install", "--kubernetes")]
    [InlineData("--workers", "schedule", "status", "--cron", "--workers", "4")]
    public async Task Bad_schedule_requests_exit_2(string expected, params string[] args)
    {
        var (exit, _, error) = await _site.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home, "crontab.txt")));
    }

    private static string CronLine(string output) =>
        Assert.Single(output.Split('\n'), l => l.Contains("retention clean --db-path", StringComparison.Ordinal));

    private string Config(string yaml)
    {
        var path = Path.Combine(_site.Root, "cleanup_config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task the_schedule_variables_set_the_printed_and_installed_entry()
    {
        _site.Environment["EEMT_CLEANUP_SCHEDULE"] = "\"0 5 * * 1\""; // quoted, as a compose file's list form passes it
        var printed = await _site.Run("schedule", "print", "--cron");
        var install = await _site.Run("schedule", "install", "--systemd");
        var timer = await File.ReadAllTextAsync(Path.Combine(_home, ".config", "systemd", "user", "retention-cleanup.timer"));

        Assert.Equal((0, 0), (printed.Exit, install.Exit));
        Assert.StartsWith("0 5 * * 1 cd ", CronLine(printed.Out), StringComparison.Ordinal);
        Assert.Contains("OnCalendar=Mon *-*-* 05:00:00", timer, StringComparison.Ordinal);
        Assert.Contains("from EEMT_CLEANUP_SCHEDULE", install.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_flag_wins_over_the_library_variable_which_wins_over_the_old_one_which_wins_over_the_file()
    {
        var config = Config("schedule:\n  enabled: true\n  cron: \"15 1 * * *\"\n");
        var fileOnly = await _site.Run("schedule", "print", "--cron", "--config", config);
        _site.Environment["EEMT_CLEANUP_SCHEDULE"] = "0 5 * * *";
        var oldVariable = await _site.Run("schedule", "print", "--cron", "--config", config);
        _site.Environment["JobCleanup__Background__Schedule"] = "03:30";
        var libraryVariable = await _site.Run("schedule", "print", "--cron", "--config", config);
        var flag = await _site.Run("schedule", "print", "--cron", "--config", config, "--at", "0 6 * * *");

        Assert.StartsWith("15 1 * * * cd ", CronLine(fileOnly.Out), StringComparison.Ordinal);
        Assert.StartsWith("0 5 * * * cd ", CronLine(oldVariable.Out), StringComparison.Ordinal);
        Assert.StartsWith("30 3 * * * cd ", CronLine(libraryVariable.Out), StringComparison.Ordinal);
        Assert.StartsWith("0 6 * * * cd ", CronLine(flag.Out), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_interval_from_the_library_variable_becomes_a_cron_step()
    {
        _site.Environment["JobCleanup__Background__Schedule"] = "every 6h";

        var (exit, output, _) = await _site.Run("schedule", "print", "--cron");

        Assert.Equal(0, exit);
        Assert.StartsWith("0 */6 * * * cd ", CronLine(output), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EEMT_ENABLE_AUTO_CLEANUP", "false", "EEMT_ENABLE_AUTO_CLEANUP=false")]
    [InlineData("EEMT_ENABLE_AUTO_CLEANUP", "0", "EEMT_ENABLE_AUTO_CLEANUP=false")]
    [InlineData("JobCleanup__Background__Enabled", "false", "JobCleanup__Background__Enabled=false")]
    public async Task scheduling_turned_off_makes_install_refuse_naming_the_variable(string variable, string value, string named)
    {
        _site.Environment[variable] = value;

        var install = await _site.Run("schedule", "install", "--cron");
        var print = await _site.Run("schedule", "print", "--cron");

        Assert.Equal(2, install.Exit);
        Assert.Contains($"scheduling is off ({named}); nothing was installed", install.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home, "crontab.txt")));
        Assert.Equal(0, print.Exit);
        Assert.Contains($"note: scheduling is off ({named})", print.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_library_variable_turns_on_what_the_old_one_and_the_file_turn_off()
    {
        var config = Config("schedule:\n  enabled: false\n");
        var fileOff = await _site.Run("schedule", "install", "--cron", "--config", config);
        _site.Environment["EEMT_ENABLE_AUTO_CLEANUP"] = "false";
        _site.Environment["JobCleanup__Background__Enabled"] = "true";
        var libraryOn = await _site.Run("schedule", "install", "--cron", "--config", config);

        Assert.Equal(2, fileOff.Exit);
        Assert.Contains("scheduling is off (cleanup_config.yaml: schedule.enabled=false)", fileOff.Error, StringComparison.Ordinal);
        Assert.Equal(0, libraryOn.Exit);
        Assert.Contains("0 2 * * * cd ", await File.ReadAllTextAsync(Path.Combine(_home, "crontab.txt")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EEMT_CLEANUP_SCHEDULE", "daily", "EEMT_CLEANUP_SCHEDULE: 'daily' is not a schedule; use a cron expression of five fields")]
    [InlineData("EEMT_CLEANUP_SCHEDULE", "03:00", "EEMT_CLEANUP_SCHEDULE: '03:00' is not a cron expression")]
    [InlineData("EEMT_CLEANUP_SCHEDULE", "0 25 * * *", "EEMT_CLEANUP_SCHEDULE: '0 25 * * *' is not a schedule")]
    [InlineData("JobCleanup__Background__Schedule", "at dawn", "JobCleanup__Background__Schedule: 'at dawn' is not a schedule")]
    [InlineData("JobCleanup__Background__Schedule", "every 7h", "JobCleanup__Background__Schedule: 'every 7h' cannot be written as a cron line")]
    [InlineData("EEMT_ENABLE_AUTO_CLEANUP", "sometimes", "EEMT_ENABLE_AUTO_CLEANUP: 'sometimes' is not true or false")]
    public async Task a_bad_schedule_variable_is_named_and_exits_2(string variable, string value, string expected)
    {
        _site.Environment[variable] = value;

        var (exit, output, error) = await _site.Run("schedule", "install", "--cron");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home, "crontab.txt")));
    }

    [Fact]
    public async Task a_bad_cron_in_the_config_file_names_the_file_and_key()
    {
        var config = Config("schedule:\n  cron: \"2am\"\n");

        var (exit, _, error) = await _site.Run("schedule", "print", "--cron", "--config", config);

        Assert.Equal(2, exit);
        Assert.Contains("cleanup_config.yaml: schedule.cron: '2am' is not a schedule", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_dry_run_set_in_the_environment_is_carried_into_the_entry()
    {
        _site.Environment["EEMT_CLEANUP_DRY_RUN"] = "true";

        var (exit, output, _) = await _site.Run("schedule", "print", "--cron");

        Assert.Equal(0, exit);
        Assert.Contains("--workers 4 --dry-run >> ", CronLine(output), StringComparison.Ordinal);
    }
}
