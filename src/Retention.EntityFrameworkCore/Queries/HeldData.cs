namespace Retention.EntityFrameworkCore.Queries;

/// <summary>A job's status and recorded size, as the usage query groups them.</summary>
internal sealed class HeldData<TStatus>
{
    public TStatus Status { get; set; } = default!;

    public long Bytes { get; set; }
}
