using Retention.Scheduling;

namespace Retention.Tests.Scheduling;

public class CleanupScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("03:00", "2024-01-20T02:00:00Z", "2024-01-20T03:00:00Z")] // later today
    [InlineData("01:00", "2024-01-20T02:00:00Z", "2024-01-21T01:00:00Z")] // already passed: tomorrow
    [InlineData("02:00", "2024-01-20T02:00:00Z", "2024-01-21T02:00:00Z")] // exactly now: strictly after
    [InlineData("23:30", "2024-12-31T23:45:00Z", "2025-01-01T23:30:00Z")] // across midnight and the year
    public void Daily_in_utc(string at, string after, string expected) =>
        Assert.Equal(Utc(expected), CleanupSchedule.Daily(TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture)).GetNextOccurrence(Utc(after)));

    [Fact]
    public void Cron_the_seeds_daily_at_two()
    {
        var schedule = CleanupSchedule.Cron("0 2 * * *");

        Assert.Equal(Utc("2024-01-21T02:00:00Z"), schedule.GetNextOccurrence(Utc("2024-01-20T02:00:00Z")));
        Assert.Equal(Utc("2024-01-20T02:00:00Z"), schedule.GetNextOccurrence(Utc("2024-01-20T01:59:00Z")));
        Assert.Equal(TimeSpan.FromDays(1), schedule.PeriodAt(Utc("2024-01-20T00:00:00Z")));
    }

    [Fact]
    public void Daily_in_a_zone_spring_forward_runs_when_the_clock_jumps_past_the_skipped_time()
    {
        var schedule = CleanupSchedule.Daily(new TimeOnly(2, 30), Berlin);

        var skipped = schedule.GetNextOccurrence(Utc("2024-03-30T12:00:00Z"));
        var after = schedule.GetNextOccurrence(skipped);

        Assert.Equal(Utc("2024-03-31T01:00:00Z"), skipped); // 02:30 does not exist; 03:00 CEST is when the clock passes it
        Assert.Equal(Utc("2024-04-01T00:30:00Z"), after);   // 02:30 CEST
    }

    [Fact]
    public void Daily_in_a_zone_fall_back_runs_once_at_the_first_occurrence()
    {
        var schedule = CleanupSchedule.Daily(new TimeOnly(2, 30), Berlin);

        var first = schedule.GetNextOccurrence(Utc("2024-10-26T12:00:00Z"));
        var next = schedule.GetNextOccurrence(first);

        Assert.Equal(Utc("2024-10-27T00:30:00Z"), first); // 02:30 CEST, the first of the two
        Assert.Equal(Utc("2024-10-28T01:30:00Z"), next);  // not 01:30Z the same night (02:30 CET again)
    }

    [Fact]
    public void Daily_in_a_zone_period_shrinks_and_grows_with_the_clock()
    {
        var schedule = CleanupSchedule.Daily(new TimeOnly(3, 0), Berlin);

        Assert.Equal(TimeSpan.FromHours(23), schedule.PeriodAt(Utc("2024-03-29T12:00:00Z"))); // 03-30 03:00 CET to 03-31 03:00 CEST
        Assert.Equal(TimeSpan.FromHours(25), schedule.PeriodAt(Utc("2024-10-25T12:00:00Z"))); // 10-26 03:00 CEST to 10-27 03:00 CET
    }

    [Fact]
    public void Cron_hourly_in_a_zone_does_not_run_the_repeated_hour_twice()
    {
        var schedule = CleanupSchedule.Cron("0 * * * *", NewYork);

        var one = schedule.GetNextOccurrence(Utc("2024-11-03T04:30:00Z")); // 00:30 EDT
        var two = schedule.GetNextOccurrence(one);
        var three = schedule.GetNextOccurrence(two);

        Assert.Equal(Utc("2024-11-03T05:00:00Z"), one);   // 01:00 EDT
        Assert.Equal(Utc("2024-11-03T07:00:00Z"), two);   // 02:00 EST: the repeated 01:00 EST (06:00Z) is skipped
        Assert.Equal(Utc("2024-11-03T08:00:00Z"), three);
    }

    [Fact]
    public void Interval_adds_the_interval()
    {
        var schedule = CleanupSchedule.Every(TimeSpan.FromSeconds(60));

        Assert.Equal(Utc("2024-01-20T02:01:00Z"), schedule.GetNextOccurrence(Utc("2024-01-20T02:00:00Z")));
        Assert.Equal(TimeSpan.FromSeconds(60), schedule.PeriodAt(Utc("2024-01-20T02:00:00Z")));
    }

    [Theory]
    [InlineData("03:00", CleanupScheduleKind.Daily)]
    [InlineData("0 2 * * *", CleanupScheduleKind.Cron)]
    [InlineData("*/15 * * * 1-5", CleanupScheduleKind.Cron)]
    [InlineData("every 6h", CleanupScheduleKind.Interval)]
    [InlineData("every 00:01:00", CleanupScheduleKind.Interval)]
    public void Try_parse_the_three_forms(string text, CleanupScheduleKind kind)
    {
        Assert.True(CleanupSchedule.TryParse(text, Berlin, out var schedule, out var error), error);
        Assert.Equal(kind, schedule!.Kind);
    }

    [Theory]
    [InlineData("daily", "is not a schedule")]
    [InlineData("25:00", "is not a schedule")]
    [InlineData("61 2 * * *", "is not a schedule")]
    [InlineData("every 0h", "needs a positive interval")]
    [InlineData("every week", "needs a positive interval")]
    public void Try_parse_refuses_nonsense_naming_the_value(string text, string expected)
    {
        Assert.False(CleanupSchedule.TryParse(text, null, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
