using System.Reflection;
using Retention.Hosting;
using Retention.PostgreSql;
using Retention.Sqlite;

namespace Retention.Docs;

/// <summary>
/// Every setting a host or the tool can configure is in the reference: each public settable property of the options
/// bound from configuration, nested groups included, appears in docs/configuration.md or docs/hosting.md.
/// </summary>
public sealed class SettingsReferenceTests
{
    public static TheoryData<string, string> Settings()
    {
        var data = new TheoryData<string, string>();
        foreach (var (section, type) in new[]
        {
            ("JobCleanup", typeof(JobCleanupOptions)),
            ("JobCleanup:Background", typeof(BackgroundCleanupOptions)),
            ("JobCleanup:Sqlite", typeof(SqliteJobStoreOptions)),
            ("JobCleanup:PostgreSql", typeof(PostgresJobStoreOptions)),
        })
        {
            foreach (var key in Keys(type, section, depth: 0))
            {
                data.Add(key, key[(key.LastIndexOf(':') + 1)..]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Each_setting_is_in_the_reference(string key, string name)
    {
        var reference = string.Concat(new[] { "configuration.md", "hosting.md" }.Select(f => File.ReadAllText(Path.Combine(Tests.DocSnippetTests.Root, "docs", f))));

        Assert.True(
            reference.Contains($"`{name}`", StringComparison.Ordinal) || reference.Contains($":{name}`", StringComparison.Ordinal) || reference.Contains($":{name},", StringComparison.Ordinal) || reference.Contains($", `{name}`", StringComparison.Ordinal) || reference.Contains($"`{name}:", StringComparison.Ordinal),
            $"{key} is not in docs/configuration.md or docs/hosting.md");
    }

    // Leaf settings by their configuration key; option groups (a class of settings) are walked, code-only members
    // (delegates, policies, pipelines) and the sections other packages read are left out.
    private static IEnumerable<string> Keys(Type type, string prefix, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var settable = property.SetMethod?.IsPublic == true || typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType);
            if (!settable || typeof(Delegate).IsAssignableFrom(propertyType) || propertyType.Namespace?.StartsWith("Polly", StringComparison.Ordinal) == true || propertyType.Name is "RetentionPolicy" or "TimeProvider")
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            var isGroup = propertyType.IsClass && propertyType != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType) && propertyType.Namespace?.StartsWith("Retention", StringComparison.Ordinal) == true;
            if (isGroup && depth < 3)
            {
                foreach (var nested in Keys(propertyType, key, depth + 1))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }
}
