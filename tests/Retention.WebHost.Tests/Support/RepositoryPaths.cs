namespace Retention.WebHost.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding Retention.Core.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where tests leave files for people to look at (screenshots); ignored by git.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "artifacts")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Retention.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Retention.Core.sln not found above " + AppContext.BaseDirectory);
    }
}
