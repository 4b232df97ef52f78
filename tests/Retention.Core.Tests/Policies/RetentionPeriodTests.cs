using Retention.Policies;

namespace Retention.Tests.Policies;

public class RetentionPeriodTests
{
    [Theory]
    [InlineData("168h", RetentionPeriodKind.After, 168 * 60, 0)]
    [InlineData("7d", RetentionPeriodKind.After, 7 * 24 * 60, 0)]
    [InlineData("30m", RetentionPeriodKind.After, 30, 0)]
    [InlineData("7.00:00:00", RetentionPeriodKind.After, 7 * 24 * 60, 0)]
    [InlineData("forever", RetentionPeriodKind.Forever, 0, 0)]
    [InlineData("Never", RetentionPeriodKind.Forever, 0, 0)]
    [InlineData("immediately", RetentionPeriodKind.After, 0, 0)]
    [InlineData("keep-last 5", RetentionPeriodKind.KeepLast, 0, 5)]
    [InlineData("keep-last:2", RetentionPeriodKind.KeepLast, 0, 2)]
    public void Parse_accepts_the_configuration_forms(string text, RetentionPeriodKind kind, int minutes, int count)
    {
        var period = RetentionPeriod.Parse(text);

        Assert.Equal(kind, period.Kind);
        Assert.Equal(TimeSpan.FromMinutes(minutes), period.Age);
        Assert.Equal(count, period.Count);
    }

    [Theory]
    [InlineData("0h", "say 'immediately' or 'forever' in words")]
    [InlineData("-5d", "not a positive age")]
    [InlineData("00:00:00", "not a positive age")]
    [InlineData("keep-last 0", "at least 1")]
    [InlineData("a week", "is not a retention")]
    [InlineData("168", "'168' has no unit; write 168h for hours or 168d for days")]
    [InlineData("", "a retention is required")]
    public void Parse_refuses_zero_negative_and_nonsense_naming_the_value(string text, string expected)
    {
        Assert.False(RetentionPeriod.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void After_refuses_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetentionPeriod.After(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetentionPeriod.KeepLast(0));
    }

    [Theory]
    [InlineData(168 * 60, "7 days")]
    [InlineData(12 * 60, "12 hours")]
    [InlineData(60, "1 hour")]
    [InlineData(42, "42 minutes")]
    [InlineData(11808, "8.2 days")]
    public void Describe_speaks_like_a_person(int minutes, string expected) =>
        Assert.Equal(expected, RetentionPeriod.Describe(TimeSpan.FromMinutes(minutes)));
}
