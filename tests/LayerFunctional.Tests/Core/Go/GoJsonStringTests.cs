using System.Text;
using LayerFunctional.Go;

namespace LayerFunctional.Tests.Core.Go;

/// <summary>JSON strings decoded as Go's encoding/json decodes them (layer-store.md §2.1): escapes, surrogates, invalid UTF-8.</summary>
public class GoJsonStringTests
{
    private static string Json(string inner) => GoJsonString.Decode(Encoding.UTF8.GetBytes(inner), inner.Contains('\\'));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(@"a\bb", "a\bb")]
    [InlineData(@"a\fb", "a\fb")]
    [InlineData(@"a\nb", "a\nb")]
    [InlineData(@"a\rb", "a\rb")]
    [InlineData(@"a\tb", "a\tb")]
    [InlineData(@"\""\\\/", "\"\\/")]
    [InlineData(@"\u0041\u00e9\u20ac", "Aé€")]
    [InlineData(@"\ud83d\ude00", "😀")]
    [InlineData(@"x\ud83d\ude00y", "x😀y")]
    [InlineData(@"\ud83d", "\ufffd")]
    [InlineData(@"\ude00", "\ufffd")]
    [InlineData(@"\ud83dx", "\ufffdx")]
    [InlineData(@"\ud83d\u0041", "\ufffdA")]
    [InlineData(@"\ud83d\ud83d", "\ufffd\ufffd")]
    [InlineData(@"\ud83d\\u", "\ufffd\\u")]
    [InlineData(@"\ud83d\ude0", "\ufffdude0")]
    [InlineData(@"\u004", "u004")]
    [InlineData(@"\u0041", "A")]
    [InlineData(@"ab\", "ab\\")]
    public void Json_strings_decode_as_go_does(string inner, string expected) => Assert.Equal(expected, Json(inner));

    [Fact]
    public void Json_strings_without_escapes_replace_invalid_utf8()
    {
        Assert.Equal("a\ufffdb", GoJsonString.Decode([(byte)'a', 0xff, (byte)'b'], false));
        Assert.Equal("a\ufffdn\ufffd", GoJsonString.Decode([(byte)'a', (byte)'\\', 0xff, (byte)'n', 0xfe], true));
    }

    [Fact]
    public void Json_element_values_are_decoded()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("[\"\",\"a\\u0041\",\"plain\",\"\\ud800\"]");
        var values = doc.RootElement.EnumerateArray().Select(GoJsonString.Of).ToArray();
        Assert.Equal(["", "aA", "plain", "\ufffd"], values);
    }
}
