using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Cleanup;

namespace Retention.Docs.Tests;

/// <summary>
/// Every <c>JobCleanup</c> configuration shown in the docs (the cookbook's seed systems among them) binds to the real
/// options and passes their validation, with its roots pointed at real directories.
/// </summary>
public sealed partial class ConfigurationSnippetTests
{
    public static TheoryData<string, int> Configurations()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, index, _) in DocumentConfigurations())
        {
            data.Add(file, index);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void The_configuration_binds_and_validates(string file, int index)
    {
        var json = DocumentConfigurations().Single(c => c.File == file && c.Index == index).Json;
        var root = Directory.CreateTempSubdirectory("retention-docs-").FullName;
        try
        {
            using var document = JsonDocument.Parse(json);
            var roots = document.RootElement.GetProperty("JobCleanup").TryGetProperty("Roots", out var configured)
                ? configured.EnumerateObject().Select(p => p.Name).ToArray()
                : ["results"]; // a fragment about other options (hosting.md's Background) gets one root to stand on
            var configuration = new ConfigurationBuilder()
                .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
                .AddInMemoryCollection(roots.Select(r => new KeyValuePair<string, string?>($"JobCleanup:Roots:{r}", Directory.CreateDirectory(Path.Combine(root, r)).FullName)))
                .Build();
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddLogging();
            services.AddJobCleanup(configuration.GetSection("JobCleanup")).UseInMemoryStore().AddBackgroundCleanup();
            using var provider = services.BuildServiceProvider();

            provider.GetRequiredService<IStartupValidator>().Validate();
            Assert.NotEmpty(provider.GetRequiredService<IJobExplainer>().Policy.Rules);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_cookbook_has_the_four_seed_systems()
    {
        Assert.Equal(4, DocumentConfigurations().Count(c => c.File == "docs/migrating-from-cleanup-scripts.md"));
    }

    private static IEnumerable<(string File, int Index, string Json)> DocumentConfigurations()
    {
        var docs = Path.Combine(DocSnippetTests.Root, "docs");
        foreach (var path in Directory.EnumerateFiles(docs, "*.md").Order(StringComparer.Ordinal))
        {
            var index = 0;
            foreach (Match block in JsonBlock().Matches(File.ReadAllText(path)))
            {
                if (block.Groups[1].Value.TrimStart().StartsWith("{ \"JobCleanup\"", StringComparison.Ordinal) || block.Groups[1].Value.Contains("\n  \"JobCleanup\"", StringComparison.Ordinal))
                {
                    yield return ("docs/" + Path.GetFileName(path), index++, block.Groups[1].Value);
                }
            }
        }
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
