namespace Retention.Tests.Support;

/// <summary>A fact about the descriptor-relative deleter: it runs on Linux, and says why it is skipped elsewhere.</summary>
internal sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "the descriptor-relative deleter runs on Linux; elsewhere the path fallback is in use (docs/safety.md)";
        }
    }
}
