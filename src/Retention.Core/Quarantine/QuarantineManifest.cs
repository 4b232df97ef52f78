using System.Text;
using System.Text.Json;

namespace Retention.Quarantine;

/// <summary>
/// The paths one stamp folder holds, one JSON object a line. A line is written before its move, so a line whose data never
/// arrived is possible (and ignored by readers), while data that no line names is not.
/// </summary>
internal static class QuarantineManifest
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Adds a line, flushed to disk before the move it announces.</summary>
    public static void Append(string manifestPath, Line line)
    {
        using var stream = new FileStream(manifestPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(Utf8.GetBytes(JsonSerializer.Serialize(line, QuarantineManifestJson.Default.Line) + "\n"));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The manifest's lines with a usable path; a later line for the same path wins.</summary>
    public static IReadOnlyList<Line> Read(string manifestPath)
    {
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        foreach (var text in File.ReadLines(manifestPath, Utf8))
        {
            Line? line;
            try
            {
                line = JsonSerializer.Deserialize(text, QuarantineManifestJson.Default.Line);
            }
            catch (JsonException)
            {
                continue; // a line torn by a crash: its data, if any, goes when the stamp is purged
            }

            // A path that could climb out of the stamp folder (or the root) is never joined to either.
            if (line is not null && QuarantineLayout.IsPlainRelativePath(line.Path))
            {
                lines[line.Path] = line;
            }
        }

        return [.. lines.Values];
    }

    /// <summary>One quarantined path.</summary>
    /// <param name="Path">The path relative to its root, which is also its place below the stamp folder.</param>
    /// <param name="Bytes">Bytes it held when it was moved.</param>
    /// <param name="Files">Files and links it held.</param>
    internal sealed record Line(string Path, long Bytes, long Files);
}
