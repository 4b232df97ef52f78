using System.CommandLine;

namespace Retention.Cli.Commands;

/// <summary>The flags of <c>schedule print --kubernetes</c>: the image to run and the claim that holds the data.</summary>
internal sealed class KubernetesOptions
{
    public const string DefaultClaim = "retention-data";

    public const string DefaultImage = "retention:latest";

    public const string DefaultSecret = "retention-postgres";

    public Option<string> PvcClaim { get; } = new("--pvc-claim") { Description = $"The PersistentVolumeClaim that holds the database and data folders (--kubernetes; default: {DefaultClaim})" };

    public Option<string> Image { get; } = new("--image") { Description = $"The container image that has the retention tool (--kubernetes; default: {DefaultImage})" };

    public Option<string> PostgresSecret { get; } = new("--postgres-secret") { Description = $"The Secret whose key connection-string holds the PostgreSQL connection string (--kubernetes with --postgres; default: {DefaultSecret})" };

    public void AddTo(Command command)
    {
        command.Options.Add(PvcClaim);
        command.Options.Add(Image);
        command.Options.Add(PostgresSecret);
    }

    /// <summary>The first of these flags given on the command line, if any.</summary>
    public string? GivenName(ParseResult parse) =>
        new Option[] { PvcClaim, Image, PostgresSecret }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false })?.Name;

    public CronJobManifest.Choices Read(ParseResult parse) => new(
        Value(parse, PvcClaim, DefaultClaim, IsName, NameRule),
        Value(parse, Image, DefaultImage, v => v.Length > 0 && !v.Any(char.IsWhiteSpace), "an image reference without spaces, as in registry.example/retention:1.2"),
        Value(parse, PostgresSecret, DefaultSecret, IsName, NameRule));

    private const string NameRule = "a Kubernetes object name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";

    private static string Value(ParseResult parse, Option<string> option, string fallback, Func<string, bool> valid, string allowed)
    {
        var value = parse.GetValue(option)?.Trim();
        return value is null ? fallback : valid(value) ? value : throw new UsageException($"{option.Name}: '{value}' is not {allowed}.");
    }

    private static bool IsName(string value) =>
        value.Length is > 0 and <= 253 && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1])
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
}
