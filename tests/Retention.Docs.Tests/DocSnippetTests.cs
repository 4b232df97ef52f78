using System.Text.RegularExpressions;

namespace Retention.Docs.Tests;

/// <summary>
/// Every C# snippet in the documentation compiles: each ```csharp block of docs/*.md, README.md and src/*/README.md must
/// appear, line for line (indentation and blank lines aside, <c>using</c> directives at its top aside), in Snippets/,
/// which the build compiles with warnings as errors.
/// </summary>
public sealed partial class DocSnippetTests
{
    internal static readonly string Root = FindRoot();

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, index, _) in DocumentSnippets())
        {
            data.Add(file, index);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_snippet_is_compiled_code(string file, int index)
    {
        var snippet = DocumentSnippets().Single(s => s.File == file && s.Index == index).Lines;
        var compiled = Directory.EnumerateFiles(Path.Combine(Root, "tests", "Retention.Docs.Tests", "Snippets"), "*.cs")
            .Select(f => Normalize(File.ReadAllText(f)))
            .ToList();

        Assert.True(compiled.Any(lines => Contains(lines, snippet)), $"{file}, C# snippet {index + 1} (\"{snippet.FirstOrDefault()}\") is not in tests/Retention.Docs.Tests/Snippets, so nothing checks that it compiles.");
    }

    [Fact]
    public void The_documentation_has_snippets_to_check()
    {
        Assert.True(DocumentSnippets().Count() >= 20);
    }

    private static IEnumerable<(string File, int Index, string[] Lines)> DocumentSnippets()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md")
            .Append(Path.Combine(Root, "README.md"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "src"), "README.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var name = Path.GetRelativePath(Root, path).Replace('\\', '/');
            var index = 0;
            foreach (Match block in CSharpBlock().Matches(File.ReadAllText(path)))
            {
                yield return (name, index++, Normalize(block.Groups[1].Value).SkipWhile(l => l.StartsWith("using ", StringComparison.Ordinal) && l.EndsWith(';')).ToArray());
            }
        }
    }

    private static string[] Normalize(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    private static bool Contains(string[] haystack, string[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return true;
            }
        }

        return false;
    }

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

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
