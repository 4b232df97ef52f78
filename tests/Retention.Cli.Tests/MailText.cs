using System.Text;
using System.Text.RegularExpressions;

namespace Retention.Cli.Tests;

/// <summary>A received message's headers and body as text: encoded words, base64 and quoted-printable undone.</summary>
internal static partial class MailText
{
    public static string Decode(string data)
    {
        var split = data.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = split < 0 ? data : data[..split];
        var body = split < 0 ? string.Empty : data[(split + 2)..];

        // Folded header lines continue with whitespace; encoded words (=?utf-8?B?...?=) carry non-ASCII text.
        headers = headers.Replace("\n ", " ", StringComparison.Ordinal).Replace("\n\t", " ", StringComparison.Ordinal);
        headers = EncodedWord().Replace(headers, m => string.Equals(m.Groups[2].Value, "B", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[3].Value))
            : QuotedPrintable(m.Groups[3].Value.Replace('_', ' ')));
        headers = Regex.Replace(headers, @"\?=\s+=\?", string.Empty);

        if (headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase))
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\n", string.Empty, StringComparison.Ordinal).Trim()));
        }
        else if (headers.Contains("Content-Transfer-Encoding: quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            body = QuotedPrintable(body.Replace("=\n", string.Empty, StringComparison.Ordinal));
        }

        return headers + "\n\n" + body;
    }

    private static string QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();
}
