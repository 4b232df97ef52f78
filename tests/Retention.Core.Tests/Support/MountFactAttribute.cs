namespace Retention.Tests.Support;

/// <summary>A fact that mounts a file system inside a job's folder: it needs Linux and root (CI runs as root), and says so when skipped.</summary>
internal sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        // Under CI=true it is never skipped: a CI that cannot mount fails here rather than pass without the test.
        if (!RawFiles.CanMount && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "mounting needs root on Linux; CI runs these as root";
        }
    }
}
