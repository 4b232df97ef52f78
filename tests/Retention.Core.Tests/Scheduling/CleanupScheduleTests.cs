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

    [Theory]
    [InlineData("every 1m", "2024-01-20T02:00:00Z", "2024-01-20T02:01:00Z")] // on an occurrence: strictly after
    [InlineData("every 10m", "2024-01-20T02:03:17Z", "2024-01-20T02:10:00Z")] // the next multiple, not now + 10m
    [InlineData("every 6h", "2024-01-20T13:59:59Z", "2024-01-20T18:00:00Z")] // 00:00, 06:00, 12:00, 18:00 UTC
    [InlineData("every 00:00:10", "2026-12-07T14:43:38.5Z", "2026-12-07T14:43:40Z")]
    [InlineData("every 1h", "1969-12-31T22:30:00Z", "1969-12-31T23:00:00Z")] // before the epoch, still on the hour
    public void Interval_occurrences_are_multiples_of_the_interval_since_the_unix_epoch(string text, string after, string expected)
    {
        Assert.True(CleanupSchedule.TryParse(text, null, out var schedule, out _));

        Assert.Equal(Utc(expected), schedule!.GetNextOccurrence(Utc(after)));
    }

    [Fact]
    public void An_interval_that_does_not_divide_a_day_still_falls_on_its_multiples_since_the_epoch()
    {
        var interval = TimeSpan.FromSeconds(7);
        var schedule = CleanupSchedule.Every(interval);

        for (var after = Utc("2024-01-20T02:00:00Z"); after < Utc("2024-01-20T02:01:00Z"); after = after.AddMilliseconds(1300))
        {
            var next = schedule.GetNextOccurrence(after);
            Assert.Equal(0, (next - DateTimeOffset.UnixEpoch).Ticks % interval.Ticks);
            Assert.InRange(next - after, TimeSpan.FromTicks(1), interval);
        }

        Assert.Equal(interval, schedule.PeriodAt(Utc("2024-01-20T02:00:00Z")));
    }

    [Fact]
    public void Replicas_started_at_different_moments_name_the_same_occurrences()
    {
        // Three processes of one fleet, each started on its own clock reading, count "every 00:00:10" from their start.
        var clock = new TestClock(Utc("2026-12-07T14:43:31.250Z"));
        var starts = new List<DateTimeOffset>();
        foreach (var gap in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(3.3), TimeSpan.FromSeconds(4.9) })
        {
            clock.Advance(gap);
            starts.Add(clock.GetUtcNow());
        }

        var schedule = CleanupSchedule.Every(TimeSpan.FromSeconds(10));
        var occurrences = starts.Select(start => Occurrences(schedule, start, 5)).ToList();

        Assert.Equal(Utc("2026-12-07T14:43:40Z"), occurrences[0][0]);
        Assert.All(occurrences, o => Assert.Equal(occurrences[0], o));
    }

    private static List<DateTimeOffset> Occurrences(CleanupSchedule schedule, DateTimeOffset start, int count)
    {
        var list = new List<DateTimeOffset>();
        for (var at = schedule.GetNextOccurrence(start); list.Count < count; at = schedule.GetNextOccurrence(at))
        {
            list.Add(at);
        }

        return list;
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
