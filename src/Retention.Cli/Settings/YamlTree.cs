using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Retention.Cli.Settings;

/// <summary>
/// A YAML document as a JSON tree. YamlDotNet's object deserializer binds by reflection, which native AOT cannot keep;
/// its parser and document model need none. Plain scalars take YAML's core types (null, booleans, numbers); quoted ones stay strings.
/// </summary>
internal static class YamlTree
{
    /// <summary>The first document of <paramref name="text"/>, or <see langword="null"/> when it has none.</summary>
    /// <exception cref="YamlException">The text is not YAML, or a key is not a plain value.</exception>
    public static JsonNode? ToJson(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(entry => KeyValuePair.Create(Key(entry.Key), Convert(entry.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unsupported node {node.NodeType}"),
    };

    private static string Key(YamlNode key) =>
        key is YamlScalarNode { Value: { } name } ? name : throw new YamlException(key.Start, key.End, "a key must be a plain value");

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(value),
        };
    }
}
