namespace Retention.Policies;

/// <summary>How a <see cref="RetentionPeriod"/> decides when data is due.</summary>
public enum RetentionPeriodKind
{
    /// <summary>Due a fixed time after the job finished (zero is spelled <see cref="RetentionPeriod.Immediately"/>).</summary>
    After,

    /// <summary>Kept while the job is among the newest N of its type and status.</summary>
    KeepLast,

    /// <summary>Never due.</summary>
    Forever,
}
