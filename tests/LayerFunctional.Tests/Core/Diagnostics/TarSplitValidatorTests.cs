using System.Text;
using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>tar-split payload lines (layer-store.md §1.7): exact verdicts, counts and first-error texts.</summary>
public class TarSplitValidatorTests
{
    // 8-byte CRC-64 of "hello\n" (§1.7 worked example).
    private const string Crc = "YUw+7uLYEAA=";

    private static TarSplitState Run(params string[] lines)
    {
        var v = new TarSplitValidator();
        foreach (var l in lines) v.Feed(Encoding.UTF8.GetBytes(l));
        return v.Finish();
    }

    private static string Seg(int pos, string payload = "AAAA") => $"{{\"type\":2,\"payload\":\"{payload}\",\"position\":{pos}}}";

    private static string File(int pos, string name, long size = 6, string? payload = Crc) =>
        $"{{\"type\":1,\"name\":\"{name}\",\"size\":{size},\"payload\":{(payload is null ? "null" : "\"" + payload + "\"")},\"position\":{pos}}}";

    [Fact]
    public void A_valid_stream_counts_entries_and_tar_bytes()
    {
        // Segments 3 + 0 + 2 bytes, files 6 + 0 bytes.
        Assert.Equal(new TarSplitState.Valid(5, 11),
            Run(Seg(0), File(1, "etc/hello"), Seg(2, ""), File(3, "etc/", 0, null), Seg(4, "AAA=")));
        Assert.Equal(new TarSplitState.Valid(1, 0), Run("{\"type\":2,\"position\":0}"));
        Assert.Equal(new TarSplitState.Valid(1, 0), Run("{\"type\":2,\"payload\":null,\"position\":0}"));
        Assert.Equal(new TarSplitState.Valid(1, 0), Run("{\"type\":1,\"name\":\"a\",\"position\":0}"));
    }

    [Fact]
    public void No_lines_is_no_entries() => Assert.Equal(new TarSplitState.Invalid("no entries"), Run());

    [Theory]
    [InlineData("nope", "line 1: not JSON")]
    [InlineData("{\"type\":2,", "line 1: not JSON")]
    [InlineData("[1]", "line 1: not a JSON object")]
    [InlineData("2", "line 1: not a JSON object")]
    [InlineData("{\"type\":3,\"position\":0}", "line 1: type is not 1 (file) or 2 (segment)")]
    [InlineData("{\"type\":0,\"position\":0}", "line 1: type is not 1 (file) or 2 (segment)")]
    [InlineData("{\"type\":\"2\",\"position\":0}", "line 1: type is not 1 (file) or 2 (segment)")]
    [InlineData("{\"type\":1.5,\"position\":0}", "line 1: type is not 1 (file) or 2 (segment)")]
    [InlineData("{\"position\":0}", "line 1: type is not 1 (file) or 2 (segment)")]
    [InlineData("{\"type\":2,\"position\":1}", "line 1: position 1, expected 0")]
    [InlineData("{\"type\":2}", "line 1: position -1, expected 0")]
    [InlineData("{\"type\":2,\"position\":\"0\"}", "line 1: position -1, expected 0")]
    [InlineData("{\"type\":2,\"position\":0.5}", "line 1: position -1, expected 0")]
    [InlineData("{\"type\":2,\"position\":0,\"payload\":5}", "line 1: payload is not base64")]
    [InlineData("{\"type\":2,\"position\":0,\"payload\":\"!!!!\"}", "line 1: payload is not base64")]
    [InlineData("{\"type\":1,\"position\":0,\"name\":\"a\",\"size\":-1}", "line 1: size is not a non-negative integer")]
    [InlineData("{\"type\":1,\"position\":0,\"name\":\"a\",\"size\":\"1\"}", "line 1: size is not a non-negative integer")]
    [InlineData("{\"type\":1,\"position\":0,\"name\":\"a\",\"size\":1.5}", "line 1: size is not a non-negative integer")]
    [InlineData("{\"type\":1,\"position\":0}", "line 1: file entry without a name")]
    [InlineData("{\"type\":1,\"position\":0,\"name\":5}", "line 1: file entry without a name")]
    [InlineData("{\"type\":1,\"position\":0,\"name_raw\":\"!!\"}", "line 1: file entry without a name")]
    [InlineData("{\"type\":1,\"position\":0,\"name_raw\":5}", "line 1: file entry without a name")]
    [InlineData("{\"type\":1,\"position\":0,\"name\":\"a\",\"size\":1}", "line 1: file payload is not an 8-byte CRC-64")]
    [InlineData("{\"type\":1,\"position\":0,\"name\":\"a\",\"size\":1,\"payload\":\"AAAAAAAAAA==\"}", "line 1: file payload is not an 8-byte CRC-64")]
    [InlineData("{\"type\":1,\"position\":0,\"name\":\"a\",\"size\":1,\"payload\":\"AAAAAAAAAAAA\"}", "line 1: file payload is not an 8-byte CRC-64")]
    public void First_line_errors(string line, string expected) => Assert.Equal(new TarSplitState.Invalid(expected), Run(line));

    [Fact]
    public void Files_take_name_or_name_raw_and_an_empty_file_needs_no_crc()
    {
        Assert.Equal(new TarSplitState.Valid(2, 6), Run(
            "{\"type\":1,\"name_raw\":\"/w==\",\"size\":6,\"payload\":\"" + Crc + "\",\"position\":0}",
            "{\"type\":1,\"name\":\"e\",\"size\":0,\"payload\":\"AAAAAAAAAAA=\",\"position\":1}"));
        // Keys match without case; the last duplicate wins.
        Assert.Equal(new TarSplitState.Valid(1, 3), Run("{\"TYPE\":5,\"Type\":2,\"PayLoad\":\"AAAA\",\"POSITION\":0}"));
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a", "./a")]
    [InlineData("a/", "a")]
    [InlineData("a//b", "a/b")]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("a/../../b", "../b")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("../../a", "../../a/.")]
    public void Paths_that_clean_to_the_same_name_are_duplicates(string first, string second) =>
        Assert.Equal(new TarSplitState.Invalid($"line 3: duplicate path {second}"),
            Run(File(0, first, 0, null), Seg(1), File(2, second, 0, null)));

    [Theory]
    [InlineData("a", "/a")]
    [InlineData("a/b", "b")]
    [InlineData("../a", "a")]
    [InlineData("a/..", "a")]
    [InlineData("x/../a", "x/a")]
    [InlineData("../../a", "../a")]
    public void Different_clean_paths_are_not_duplicates(string first, string second) =>
        Assert.Equal(new TarSplitState.Valid(2, 0), Run(File(0, first, 0, null), File(1, second, 0, null)));

    [Fact]
    public void The_first_error_wins_and_later_lines_are_refused()
    {
        var v = new TarSplitValidator();
        Assert.True(v.Feed(Encoding.UTF8.GetBytes(Seg(0))));
        Assert.True(v.Feed(Encoding.UTF8.GetBytes(Seg(1))));
        Assert.False(v.Feed(Encoding.UTF8.GetBytes(Seg(5))));
        Assert.False(v.Feed(Encoding.UTF8.GetBytes(Seg(2))));
        Assert.False(v.Feed("garbage"u8));
        v.StreamFailed("gzip: invalid header");
        Assert.Equal(new TarSplitState.Invalid("line 3: position 5, expected 2"), v.Finish());
    }

    [Fact]
    public void A_stream_failure_is_the_verdict_and_the_first_one_is_kept()
    {
        var v = new TarSplitValidator();
        Assert.True(v.Feed(Encoding.UTF8.GetBytes(Seg(0))));
        v.StreamFailed("unexpected EOF");
        v.StreamFailed("second");
        Assert.False(v.Feed(Encoding.UTF8.GetBytes(Seg(1))));
        Assert.Equal(new TarSplitState.Invalid("unexpected EOF"), v.Finish());
    }

    [Fact]
    public void Line_numbers_count_accepted_lines()
    {
        Assert.Equal(new TarSplitState.Invalid("line 4: payload is not base64"),
            Run(Seg(0), File(1, "a"), Seg(2), "{\"type\":2,\"position\":3,\"payload\":[]}"));
        Assert.Equal(new TarSplitState.Invalid("line 2: not JSON"), Run(Seg(0), "{"));
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_read_as_go_reads_it()
    {
        var v = new TarSplitValidator();
        Assert.True(v.Feed([.. "{\"type\":1,\"name\":\"a"u8, 0xFF, .. "\",\"position\":0}"u8]));
        Assert.Equal(new TarSplitState.Valid(1, 0), v.Finish());
    }

    [Theory]
    [InlineData("", "line 1: not JSON")]
    [InlineData("[1] 2", "line 1: not JSON")]
    [InlineData("[1]", "line 1: not a JSON object")]
    public void Lines_that_are_not_one_json_object(string line, string expected) =>
        Assert.Equal(new TarSplitState.Invalid(expected), Run(line));

    [Fact]
    public void An_escaped_base64_payload_is_decoded_after_unescaping() =>
        Assert.Equal(new TarSplitState.Valid(1, 3), Run("{\"type\":2,\"position\":0,\"payload\":\"AA\\u0041A\"}"));

    [Fact]
    public void Name_wins_over_name_raw_for_the_path() =>
        Assert.Equal(new TarSplitState.Invalid("line 2: duplicate path a"), Run(
            "{\"type\":1,\"name\":\"a\",\"name_raw\":\"Yg==\",\"position\":0}",
            "{\"type\":1,\"name\":\"a\",\"position\":1}"));
}
