using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace LayerFunctional.Go;

/// <summary>
/// JSON strings as Go's <c>encoding/json</c> decodes them: invalid UTF-8 and lone surrogate escapes become
/// U+FFFD instead of failing (System.Text.Json refuses both when it converts to a .NET string).
/// </summary>
public static class GoJsonString
{
    /// <summary>Decodes the raw bytes between the quotes of a JSON string token.</summary>
    /// <param name="raw">The token's bytes without the quotes.</param>
    /// <param name="escaped">Whether the token contains backslash escapes.</param>
    public static string Decode(byte[] raw, bool escaped)
    {
        if (!escaped) return Encoding.UTF8.GetString(raw);
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || i + 1 >= raw.Length) { bytes.Add(raw[i]); continue; }
            var c = raw[++i];
            switch (c)
            {
                case (byte)'b': bytes.Add(8); break;
                case (byte)'f': bytes.Add(12); break;
                case (byte)'n': bytes.Add(10); break;
                case (byte)'r': bytes.Add(13); break;
                case (byte)'t': bytes.Add(9); break;
                case (byte)'u' when i + 4 < raw.Length:
                    var unit = Convert.ToInt32(Encoding.ASCII.GetString(raw, i + 1, 4), 16);
                    i += 4;
                    if (char.IsHighSurrogate((char)unit) && i + 6 < raw.Length && raw[i + 1] == (byte)'\\' && raw[i + 2] == (byte)'u')
                    {
                        var low = Convert.ToInt32(Encoding.ASCII.GetString(raw, i + 3, 4), 16);
                        if (char.IsLowSurrogate((char)low))
                        {
                            bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(char.ConvertToUtf32((char)unit, (char)low))));
                            i += 6;
                            break;
                        }
                    }
                    bytes.AddRange(char.IsSurrogate((char)unit) ? "\uFFFD"u8.ToArray() : Encoding.UTF8.GetBytes(((char)unit).ToString()));
                    break;
                default: bytes.Add(c); break;   // \" \\ \/
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The string value of an element (which must be a JSON string), decoded as Go does.</summary>
    /// <param name="element">A string element.</param>
    public static string Of(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var inner = raw[1..^1].ToArray();   // a string element's raw value always has its two quotes
        return Decode(inner, inner.Contains((byte)'\\'));
    }
}
