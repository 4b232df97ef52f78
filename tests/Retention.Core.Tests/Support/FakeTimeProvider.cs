namespace Retention.Tests.Support;

/// <summary>A clock the test sets by hand (Microsoft.Extensions.TimeProvider.Testing is not available here).</summary>
internal sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
