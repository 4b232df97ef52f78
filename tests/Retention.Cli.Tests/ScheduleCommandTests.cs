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
        Assert.Contains($"\"--db-path\", \"{_site.Db}\"", kubernetes.Out, StringComparison.Ordinal);
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
        var remove = await _site.Run("schedule", "remove", "--systemd");

        Assert.Equal(0, install.Exit);
        Assert.True(installed);
        Assert.Contains("are installed", status.Out, StringComparison.Ordinal);
        Assert.Equal(0, remove.Exit);
        Assert.False(File.Exists(Path.Combine(units, "retention-cleanup.timer")));
    }

    [Theory]
    [InlineData("name exactly one of --cron, --systemd, --kubernetes", "schedule", "print")]
    [InlineData("name exactly one of --cron, --systemd, --kubernetes", "schedule", "print", "--cron", "--systemd")]
    [InlineData("--at: 'daily' is not a cron expression", "schedule", "print", "--cron", "--at", "daily")]
    [InlineData("--kubernetes is print only", "schedule", "install", "--kubernetes")]
    public async Task Bad_schedule_requests_exit_2(string expected, params string[] args)
    {
        var (exit, _, error) = await _site.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home, "crontab.txt")));
    }
}
