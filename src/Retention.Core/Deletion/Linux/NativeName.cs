using System.Text;

namespace Retention.Deletion.Linux;

/// <summary>Between .NET strings and the bytes the kernel names files with.</summary>
internal static class NativeName
{
    // Strict: a string with a lone surrogate has no exact bytes, and guessing some would name another file.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-8 bytes of <paramref name="text"/> followed by a NUL, or <see langword="null"/> when it has no exact encoding.</summary>
    public static byte[]? EncodeWithNul(string text)
    {
        try
        {
            var bytes = new byte[Strict.GetByteCount(text) + 1];
            Strict.GetBytes(text, bytes);
            return bytes;
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A name for messages: its bytes decoded, with U+FFFD where they are not UTF-8 (and never used to name a file again).</summary>
    public static string Decode(ReadOnlySpan<byte> name)
    {
        if (name.Length > 0 && name[^1] == 0)
        {
            name = name[..^1];
        }

        return Encoding.UTF8.GetString(name);
    }
}
