using System.Text;
using LayerFunctional.Go;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Go;

/// <summary>Exact results of the Go ports (layer-store.md §2.1): TrimSpace, IsSpace, ParseInt, Quote.</summary>
public class GoTextTests
{
    private static string Trim(string s) => Encoding.UTF8.GetString(GoText.TrimSpace(Encoding.UTF8.GetBytes(s)));

    [Theory]
    [InlineData(0x09, true)]
    [InlineData(0x0A, true)]
    [InlineData(0x0B, true)]
    [InlineData(0x0C, true)]
    [InlineData(0x0D, true)]
    [InlineData(0x20, true)]
    [InlineData(0x85, true)]
    [InlineData(0xA0, true)]
    [InlineData(0x1680, true)]
    [InlineData(0x2000, true)]
    [InlineData(0x2005, true)]
    [InlineData(0x200A, true)]
    [InlineData(0x2028, true)]
    [InlineData(0x2029, true)]
    [InlineData(0x202F, true)]
    [InlineData(0x205F, true)]
    [InlineData(0x3000, true)]
    [InlineData(0x08, false)]
    [InlineData(0x0E, false)]
    [InlineData(0x1F, false)]
    [InlineData(0x21, false)]
    [InlineData(0x84, false)]
    [InlineData(0x86, false)]
    [InlineData(0x9F, false)]
    [InlineData(0xA1, false)]
    [InlineData(0x1FFF, false)]
    [InlineData(0x200B, false)]
    [InlineData(0xFEFF, false)]
    [InlineData(0x00, false)]
    [InlineData('x', false)]
    public void IsGoSpace_is_unicode_IsSpace(int codePoint, bool space) => Assert.Equal(space, GoText.IsGoSpace(codePoint));

    [Theory]
    [InlineData(" a ", "a")]
    [InlineData("\u2000a\u200a", "a")]
    [InlineData("\u3000\u3000a b\u0085\u0085", "a b")]
    [InlineData("   ", "")]
    [InlineData("", "")]
    [InlineData("a", "a")]
    [InlineData("\u200ba\u200b", "\u200ba\u200b")]
    [InlineData(" \u00a0\u1680x\u202f\u205f\u2028\u2029 ", "x")]
    public void TrimSpace_removes_only_go_space_from_both_ends(string input, string expected) => Assert.Equal(expected, Trim(input));

    [Fact]
    public void TrimSpace_stops_at_invalid_utf8_on_either_side()
    {
        byte[] leading = [0x20, 0xC3, 0x20, (byte)'a', 0x20];   // 0xC3 0x20: truncated sequence
        Assert.Equal(new byte[] { 0xC3, 0x20, (byte)'a' }, GoText.TrimSpace(leading).ToArray());
        byte[] trailing = [0x20, (byte)'a', 0x20, 0xE2, 0x80, 0x20];   // E2 80: truncated, then a space
        Assert.Equal(new byte[] { (byte)'a', 0x20, 0xE2, 0x80 }, GoText.TrimSpace(trailing).ToArray());
        // Multi-byte spaces are removed whole from both ends (consumed counts 2 and 3).
        Assert.Equal("a"u8.ToArray(), GoText.TrimSpace("\u00a0\u00a0a\u3000\u00a0"u8).ToArray());
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("9", 9L)]
    [InlineData("+0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("+12", 12L)]
    [InlineData("0001", 1L)]
    [InlineData("1234567890", 1234567890L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void ParseInt64_accepts(string text, long expected) =>
        Assert.Equal(Some(expected), GoText.ParseInt64(Encoding.ASCII.GetBytes(text)));

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("/")]
    [InlineData(":")]
    [InlineData("1/")]
    [InlineData("1:")]
    [InlineData("+-1")]
    [InlineData("--1")]
    [InlineData("1-")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    public void ParseInt64_rejects(string text) =>
        Assert.True(GoText.ParseInt64(Encoding.ASCII.GetBytes(text)).IsNone);

    [Theory]
    [InlineData("10\n", "\"10\\n\"")]
    [InlineData("a\rb\tc", "\"a\\rb\\tc\"")]
    [InlineData("say \"hi\" \\", "\"say \\\"hi\\\" \\\\\"")]
    [InlineData("\0", "\"\\x00\"")]
    [InlineData("\u001f", "\"\\x1f\"")]
    [InlineData("\u007f", "\"\\x7f\"")]
    [InlineData("\u0085", "\"\\x85\"")]
    [InlineData("\u00ad", "\"\\xad\"")]   // soft hyphen: format character below 0x100
    [InlineData("\ufeffx", "\"\\ufeffx\"")]
    [InlineData("\u200b", "\"\\u200b\"")]
    [InlineData("\u200e", "\"\\u200e\"")]   // left-to-right mark: format character
    [InlineData("é€😀", "\"é€😀\"")]
    [InlineData("", "\"\"")]
    public void Quote_escapes_go_style(string text, string expected) => Assert.Equal(expected, GoText.Quote(text));

    [Fact]
    public void Quote_shows_invalid_bytes_as_hex_and_goes_on()
    {
        byte[] bytes = [0xff, (byte)'a', 0xc3, 0xfe, (byte)'b'];
        Assert.Equal("\"\\xffa\\xc3\\xfeb\"", GoText.Quote(bytes));
    }

    [Fact]
    public void Quote_cuts_after_max_characters_with_an_ellipsis()
    {
        Assert.Equal("\"abc…\"", GoText.Quote("abcdef", 3));
        Assert.Equal("\"abc\"", GoText.Quote("abc", 3));
        Assert.Equal("\"abcd\"", GoText.Quote("abcd", 4));
        Assert.Equal("\"abcd…\"", GoText.Quote("abcde", 4));
        Assert.Equal("\"" + new string('x', 80) + "…\"", GoText.Quote(new string('x', 100)));
        Assert.Equal("\"" + new string('x', 80) + "\"", GoText.Quote(new string('x', 80)));
        // Escapes count with their full length: "\n" is two characters.
        Assert.Equal("\"\\n\\n…\"", GoText.Quote("\n\n\n", 4));
        Assert.Equal("\"\\x00\\x00…\"", GoText.Quote("\0\0\0\0", 8));
    }

    [Fact]
    public void Trim_space_matches_go()
    {
        Assert.Equal("x"u8.ToArray(), GoText.TrimSpace("\t\n\v\f\r x \u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"u8).ToArray());
        Assert.Equal("\ufeffx\u200b"u8.ToArray(), GoText.TrimSpace("\ufeffx\u200b"u8).ToArray());
        byte[] invalid = [0xff, (byte)'x', 0xfe];
        Assert.Equal(invalid, GoText.TrimSpace(invalid).ToArray());
        Assert.Equal("\0x"u8.ToArray(), GoText.TrimSpace("\0x "u8).ToArray());
    }
}
