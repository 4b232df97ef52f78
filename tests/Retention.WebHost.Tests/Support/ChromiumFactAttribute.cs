namespace Retention.WebHost.Tests.Support;

/// <summary>
/// A test that drives Debian's chromium (<c>/usr/bin/chromium</c>), never a downloaded browser. Where it is not installed the
/// test is skipped with the reason; under CI (<c>CI=true</c>) it always runs, so a missing browser fails it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"{ChromiumPath} is not installed (apt-get install -y chromium); the dashboard's browser test needs it.";
        }
    }
}
