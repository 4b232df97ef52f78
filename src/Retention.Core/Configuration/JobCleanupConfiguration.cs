using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Retention.Configuration;

/// <summary>
/// Reads configuration into the library's options with one set of rules, wherever configuration enters: a key that names
/// no setting is an error (with a "did you mean" for a near miss), durations are written one way (<c>7d</c>, <c>12h</c>,
/// <c>30m</c>, <c>00:30:00</c>; a bare number is refused), enums by name, and every problem is reported, not the first.
/// <c>AddJobCleanup(configuration)</c> and <c>AddBackgroundCleanup()</c> use it; a host that binds its own options can too.
/// </summary>
public static class JobCleanupConfiguration
{
    /// <summary>
    /// The sections under <c>JobCleanup</c> that other packages read, so reading <c>JobCleanup</c> leaves them alone:
    /// <c>Background</c> (<c>AddBackgroundCleanup()</c> in Retention.Hosting), <c>Sqlite</c> and <c>PostgreSql</c> (the
    /// stores in the <c>retention</c> tool).
    /// </summary>
    public static IReadOnlyList<string> ReadElsewhere { get; } = ["Background", "Sqlite", "PostgreSql"];

    /// <summary>Binds <paramref name="section"/> into <paramref name="options"/>, values that are valid only.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="section">The section, such as <c>JobCleanup</c> or <c>JobCleanup:Background</c>.</param>
    /// <param name="options">The options to fill in.</param>
    /// <param name="readElsewhere">Keys of the section's top level that other code reads, left alone here.</param>
    /// <returns>One message per problem, each naming the full key and what is allowed; empty when the section is sound.</returns>
    [RequiresUnreferencedCode("Reads the options type's properties by reflection and binds them. Trimmed or native AOT hosts bind in their own code.")]
    [RequiresDynamicCode("Binds the options type by reflection. Trimmed or native AOT hosts bind in their own code.")]
    public static IReadOnlyList<string> Bind<TOptions>(IConfiguration section, TOptions options, IEnumerable<string>? readElsewhere = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Read<TOptions>(section, readElsewhere, out var values);

        // Bound from the checked values only: a bad value leaves the default in place and is reported, never thrown
        // halfway through, so every option group's problems are reported together at start.
        values.Bind(options);
        return errors;
    }

    /// <summary>
    /// Checks <paramref name="section"/> against <typeparamref name="TOptions"/> without binding: the checked values come
    /// back as a configuration to bind in the caller's own code (a native AOT app binds with the configuration binding
    /// source generator), durations already written as <c>d.hh:mm:ss</c>.
    /// </summary>
    /// <typeparam name="TOptions">The options type whose properties name the keys.</typeparam>
    /// <param name="section">The section.</param>
    /// <param name="readElsewhere">Keys of the section's top level that other code reads, left alone here.</param>
    /// <param name="values">The checked values, as a configuration whose root is the section.</param>
    /// <returns>One message per problem, each naming the full key and what is allowed.</returns>
    [RequiresUnreferencedCode("Reads the options type's properties, and its nested options types', by reflection: keep them in a trimmed app.")]
    public static IReadOnlyList<string> Read<TOptions>(IConfiguration section, IEnumerable<string>? readElsewhere, out IConfiguration values)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        var normalized = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var skip = readElsewhere is null ? null : new HashSet<string>(readElsewhere, StringComparer.OrdinalIgnoreCase);
        ConfigurationReader.Check(section, typeof(TOptions), normalized, errors, skip);
        var path = section is IConfigurationSection s ? s.Path : string.Empty;
        var root = new ConfigurationBuilder().AddInMemoryCollection(normalized).Build();
        values = path.Length == 0 ? root : root.GetSection(path);
        return errors;
    }

    /// <summary>Parses a duration the one way configuration writes it: <c>7d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>, <c>00:30:00</c>; never a bare number.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The duration.</param>
    /// <param name="error">Why the text is refused, naming it.</param>
    /// <returns>Whether the text is a duration.</returns>
    public static bool TryParseDuration(string? text, out TimeSpan duration, [NotNullWhen(false)] out string? error) =>
        DurationText.TryParse(text, out duration, out error);
}
