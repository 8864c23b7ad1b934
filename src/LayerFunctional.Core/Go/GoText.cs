using System.Globalization;
using System.Text;

namespace LayerFunctional.Go;

/// <summary>
/// Byte-level ports of the Go standard-library functions moby applies to layerdb files:
/// <c>strings.TrimSpace</c> and <c>strconv.ParseInt(s, 10, 64)</c>. They work on raw bytes so that a
/// UTF-8 BOM or invalid UTF-8 is judged exactly as Go judges it (layer-store.md §2.1, §2.3).
/// </summary>
public static class GoText
{
    /// <summary>
    /// Go's <c>strings.TrimSpace</c> on raw bytes: removes leading and trailing Unicode White_Space
    /// (TAB, LF, VT, FF, CR, SP, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
    /// U+205F, U+3000). Keeps U+FEFF (BOM), U+200B, NUL and invalid UTF-8, as Go does.
    /// </summary>
    /// <param name="bytes">The file content, untouched.</param>
    /// <returns>A slice of <paramref name="bytes"/> without the surrounding white space.</returns>
    public static ReadOnlySpan<byte> TrimSpace(ReadOnlySpan<byte> bytes)
    {
        var start = 0;
        while (start < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[start..], out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done || !IsGoSpace(rune.Value)) break;
            start += consumed;
        }
        var end = bytes.Length;
        while (end > start)
        {
            var status = Rune.DecodeLastFromUtf8(bytes[start..end], out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done || !IsGoSpace(rune.Value)) break;
            end -= consumed;
        }
        return bytes[start..end];
    }

    /// <summary>Go's <c>unicode.IsSpace</c>.</summary>
    /// <param name="codePoint">A Unicode scalar value.</param>
    public static bool IsGoSpace(int codePoint) => codePoint switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0 => true,
        0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        >= 0x2000 and <= 0x200A => true,
        _ => false,
    };

    /// <summary>
    /// Go's <c>strconv.ParseInt(s, 10, 64)</c>: an optional ASCII sign followed by one or more ASCII
    /// digits, nothing else (no white space, no underscores, no prefixes), within the int64 range.
    /// </summary>
    /// <param name="bytes">The untrimmed bytes of the file.</param>
    /// <returns>Some value when Go would accept it; None otherwise.</returns>
    public static LanguageExt.Option<long> ParseInt64(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return LanguageExt.Option<long>.None;
        var digits = bytes[0] is (byte)'+' or (byte)'-' ? bytes[1..] : bytes;
        if (digits.Length == 0) return LanguageExt.Option<long>.None;
        foreach (var b in digits)
            if (b is < (byte)'0' or > (byte)'9') return LanguageExt.Option<long>.None;
        // Only ASCII remains, so a Latin-1 view is exact; InvariantCulture with a leading sign only.
        var text = Encoding.Latin1.GetString(bytes);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? LanguageExt.Option<long>.Some(value)
            : LanguageExt.Option<long>.None;
    }

    /// <summary>
    /// Renders bytes for a one-line human message: valid UTF-8 as text with control characters,
    /// quotes and backslashes escaped Go-style (<c>\n</c>, <c>\x00</c>, <c>\ufeff</c>), invalid bytes as <c>\xNN</c>,
    /// cut to <paramref name="max"/> characters with an ellipsis.
    /// </summary>
    /// <param name="bytes">Raw bytes.</param>
    /// <param name="max">The most characters of the escaped text to keep.</param>
    /// <returns>A quoted string such as <c>"10\n"</c>.</returns>
    public static string Quote(ReadOnlySpan<byte> bytes, int max = 80)
    {
        var sb = new StringBuilder("\"");
        var i = 0;
        while (i < bytes.Length && sb.Length <= max)
        {
            var status = Rune.DecodeFromUtf8(bytes[i..], out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{bytes[i]:x2}");
                i += 1;
                continue;
            }
            AppendEscaped(sb, rune);
            i += consumed;
        }
        if (i < bytes.Length) sb.Append('…');
        return sb.Append('"').ToString();
    }

    /// <summary>Same escaping as <see cref="Quote(ReadOnlySpan{byte}, int)"/> for a .NET string.</summary>
    /// <param name="text">Any text, such as a file name.</param>
    /// <param name="max">The most characters of the escaped text to keep.</param>
    public static string Quote(string text, int max = 80) => Quote(Encoding.UTF8.GetBytes(text), max);

    private static void AppendEscaped(StringBuilder sb, Rune rune)
    {
        switch (rune.Value)
        {
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '"': sb.Append("\\\""); return;
            case '\\': sb.Append("\\\\"); return;
        }
        if (Rune.IsControl(rune) || rune.Value is 0xFEFF or 0x200B || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            sb.Append(rune.Value <= 0xFF
                ? string.Create(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}")
                : string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"));
        else
            sb.Append(rune.ToString());
    }
}
