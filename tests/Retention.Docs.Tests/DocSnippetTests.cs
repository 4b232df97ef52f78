using System.Text.RegularExpressions;

namespace Retention.Docs.Tests;

/// <summary>
/// Every C# snippet in the documentation compiles: each C# block (```csharp, ```cs, ```c#, or ~~~ fences) of docs/*.md,
/// README.md and src/*/README.md must appear, line for line (indentation and blank lines aside), in the code of Snippets/
/// (its comments and <c>#if false</c> regions do not count), which the build compiles with warnings as errors. The
/// <c>using</c> directives at a snippet's top must name namespaces that exist.
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
            .Select(f => Normalize(CodeOnly(File.ReadAllText(f))))
            .ToList();
        var usings = snippet.TakeWhile(IsUsing).ToArray();
        var code = snippet[usings.Length..];

        Assert.True(compiled.Any(lines => Contains(lines, code)), $"{file}, C# snippet {index + 1} (\"{code.FirstOrDefault()}\") is not in tests/Retention.Docs.Tests/Snippets, so nothing checks that it compiles.");
        Assert.All(usings, u => Assert.Contains(u["using ".Length..^1].Trim(), KnownNamespaces.Value));
    }

    private static readonly Lazy<HashSet<string>> KnownNamespaces = new(() =>
    {
        // The namespaces of every assembly the snippets compile against (this project's references, loaded on demand).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<System.Reflection.Assembly>([typeof(DocSnippetTests).Assembly]);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var type in assembly.GetExportedTypes())
            {
                for (var ns = type.Namespace; !string.IsNullOrEmpty(ns); ns = ns.Contains('.', StringComparison.Ordinal) ? ns[..ns.LastIndexOf('.')] : null)
                {
                    seen.Add(ns);
                }
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (names.Add(reference.FullName))
                {
                    try
                    {
                        pending.Enqueue(System.Reflection.Assembly.Load(reference));
                    }
                    catch (FileNotFoundException)
                    {
                    }
                }
            }
        }

        return seen;
    });

    private static bool IsUsing(string line) => line.StartsWith("using ", StringComparison.Ordinal) && line.EndsWith(';') && !line.Contains('=', StringComparison.Ordinal) && !line.Contains('(', StringComparison.Ordinal);

    // The source without what the compiler skips: block comments over several lines (their lines have no comment marker
    // of their own) and #if false regions. A // comment keeps its marker, so it never matches a line of code.
    private static string CodeOnly(string source)
    {
        var text = BlockComment().Replace(source, m => m.Value.Contains('\n', StringComparison.Ordinal) ? new string('\n', m.Value.Count(c => c == '\n')) : m.Value);
        return IfFalse().Replace(text, string.Empty);
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
                yield return (name, index++, Normalize(block.Groups[1].Value));
            }
        }
    }

    private static string[] Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

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

    [GeneratedRegex("^(?:```|~~~)(?:csharp|cs|c#|C#)[ \\t]*\\r?\\n(.*?)^(?:```|~~~)", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"^\s*#if false\b.*?^\s*#endif\b", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex IfFalse();
}
