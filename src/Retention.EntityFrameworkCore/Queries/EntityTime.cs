namespace Retention.EntityFrameworkCore.Queries;

/// <summary>
/// Times between the engine (<see cref="DateTimeOffset"/>, UTC) and the entity's members: a <see cref="DateTime"/> member
/// holds UTC (one read back without a kind is taken as UTC), a <see cref="DateTimeOffset"/> member is written at offset zero.
/// </summary>
internal static class EntityTime
{
    public static TTime To<TTime>(DateTimeOffset time)
        where TTime : struct =>
        typeof(TTime) == typeof(DateTime) ? (TTime)(object)time.UtcDateTime : (TTime)(object)time.ToUniversalTime();

    public static DateTimeOffset? From<TTime>(TTime? time)
        where TTime : struct => time switch
        {
            null => null,
            DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            DateTimeOffset o => o.ToUniversalTime(),
            _ => throw new InvalidOperationException($"{typeof(TTime).Name} is not a time."),
        };
}
