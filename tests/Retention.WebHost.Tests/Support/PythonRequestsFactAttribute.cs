using System.Diagnostics;

namespace Retention.WebHost.Tests.Support;

/// <summary>
/// A test that runs the seed's Python client: it needs <c>python3</c> with <c>requests</c>. Where they are missing the test is
/// skipped with the reason; under CI (<c>CI=true</c>) it always runs, so a missing interpreter fails it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PythonRequestsFactAttribute : FactAttribute
{
    public PythonRequestsFactAttribute()
    {
        if (!Available() && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "python3 with the requests module is not installed (apt-get install -y python3-requests); the seed's Python client test needs it.";
        }
    }

    private static bool Available()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("python3", "-c \"import requests\"") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
