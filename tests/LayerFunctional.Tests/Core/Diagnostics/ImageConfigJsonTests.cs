using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>Image configs (layer-store.md §4.7): the top ChainID computed from rootfs.diff_ids, or moby's reason to skip.</summary>
public class ImageConfigJsonTests
{
    private static readonly MobyVersion V29 = MobyVersion.Default;
    private static readonly string D1 = Digest.Sha256Of("one"u8).ToString();
    private static readonly string D2 = Digest.Sha256Of("two"u8).ToString();

    private static MobyVersion V(string v) => MobyVersion.Parse(v).IfLeft(e => throw new ArgumentException(e));

    private static Either<string, Option<ChainID>> Parse(string json, MobyVersion? v = null) =>
        ImageConfigJson.TopChainID(Encoding.UTF8.GetBytes(json), v ?? V29);

    private static string Error(string json, MobyVersion? v = null) =>
        Parse(json, v).Match(Left: e => e, Right: c => throw new Xunit.Sdk.XunitException("parsed: " + c));

    private static Option<string> Top(string json, MobyVersion? v = null) =>
        Parse(json, v).Match(Left: e => throw new Xunit.Sdk.XunitException(e), Right: c => c.Map(x => x.ToString()));

    private static DiffID Diff(string d) => DiffID.Parse(d, V29).IfLeft(e => throw new ArgumentException(e));

    [Fact]
    public void The_top_chain_id_follows_the_diff_ids()
    {
        var one = ChainID.Compute(None, Diff(D1));
        var two = ChainID.Compute(Some(one), Diff(D2));
        Assert.Equal(Some(one.ToString()), Top($"{{\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{D1}\"]}}}}"));
        Assert.Equal(Some(two.ToString()), Top($"{{\"rootfs\":{{\"diff_ids\":[\"{D1}\",\"{D2}\"]}},\"os\":\"linux\"}}"));
        Assert.Equal(Some(two.ToString()), Top($"{{\"RootFS\":{{\"Diff_IDs\":[\"{D1}\",\"{D2}\"]}},\"OS\":\"linux\"}}"));
        // Every duplicate is decoded; the last one is kept.
        Assert.Equal(Some(one.ToString()), Top($"{{\"rootfs\":{{\"diff_ids\":[\"{D2}\"]}},\"rootfs\":{{\"diff_ids\":[\"{D1}\"]}}}}"));
        Assert.Equal(Some(one.ToString()), Top($"{{\"rootfs\":{{\"diff_ids\":[\"{D2}\"],\"diff_ids\":[\"{D1}\"]}}}}"));
        Assert.Equal(Some(one.ToString()), Top($"{{\"rootfs\":null,\"rootfs\":{{\"diff_ids\":[\"{D1}\"]}}}}"));
    }

    [Theory]
    [InlineData("{\"rootfs\":{}}")]
    [InlineData("{\"rootfs\":{\"diff_ids\":null}}")]
    [InlineData("{\"rootfs\":{\"diff_ids\":[]}}")]
    [InlineData("{\"rootfs\":{\"diff_ids\":[\"x\"],\"diff_ids\":null}}")]
    [InlineData("{\"rootfs\":{},\"os\":\"\"}")]
    [InlineData("{\"rootfs\":{},\"os\":null}")]
    public void Configs_without_layers_have_no_top(string json) => Assert.Equal(Option<string>.None, Top(json));

    [Theory]
    [InlineData("[]", "the image config is not a JSON object")]
    [InlineData("\"x\"", "the image config is not a JSON object")]
    [InlineData("{}", "invalid image JSON, no RootFS key")]
    [InlineData("{\"rootfs\":5}", "invalid image JSON, no RootFS key")]
    [InlineData("{\"rootfs\":null}", "invalid image JSON, no RootFS key")]
    [InlineData("{\"rootfs\":{},\"rootfs\":null}", "invalid image JSON, no RootFS key")]
    [InlineData("{\"rootfs\":{},\"rootfs\":[]}", "invalid image JSON, no RootFS key")]
    [InlineData("{\"rootfs\":\"x\",\"rootfs\":{}}", "invalid image JSON, no RootFS key")]
    [InlineData("{\"rootfs\":{},\"os\":5}", "os is not a string")]
    [InlineData("{\"rootfs\":{},\"os\":\"linux\",\"os\":[]}", "os is not a string")]
    [InlineData("{\"rootfs\":{},\"os\":\"windows\"}", "image operating system \"windows\" is not supported on this host")]
    [InlineData("{\"rootfs\":{},\"os\":\"windows\",\"os\":\"linux\"}", "image operating system \"windows\" is not supported on this host")]
    [InlineData("{\"rootfs\":{\"diff_ids\":5}}", "rootfs.diff_ids is not an array")]
    [InlineData("{\"rootfs\":{\"diff_ids\":{}}}", "rootfs.diff_ids is not an array")]
    [InlineData("{\"rootfs\":{\"diff_ids\":\"x\",\"diff_ids\":[]}}", "rootfs.diff_ids is not an array")]
    [InlineData("{\"rootfs\":{\"diff_ids\":[5]}}", "rootfs.diff_ids holds a value that is not a string")]
    [InlineData("{\"rootfs\":{\"diff_ids\":[null]}}", "rootfs.diff_ids holds a value that is not a string")]
    [InlineData("{\"rootfs\":{\"diff_ids\":[\"x\"]}}", "rootfs.diff_ids holds \"x\", which is not a digest")]
    [InlineData("{\"rootfs\":{\"diff_ids\":[\"sha256:abc\"]}}", "rootfs.diff_ids holds \"sha256:abc\", which is not a digest")]
    [InlineData("{", "the image config is not valid JSON: Expected depth to be zero at the end of the JSON payload")]
    [InlineData("{} {}", "the image config is not valid JSON: '{' is invalid after a single JSON value")]
    public void Rejected_configs_say_why(string json, string expected) => Assert.Equal(expected, Error(json));

    [Fact]
    public void The_os_check_depends_on_the_release()
    {
        const string Windows = "{\"rootfs\":{},\"os\":\"windows\"}";
        const string Upper = "{\"rootfs\":{},\"os\":\"LINUX\"}";
        Assert.Equal(Option<string>.None, Top(Windows, V("18.01")));
        Assert.Equal("image operating system \"windows\" is not supported on this host", Error(Windows, V("18.02")));
        Assert.Equal("image operating system \"LINUX\" is not supported on this host", Error(Upper, V("24.0")));
        Assert.Equal(Option<string>.None, Top(Upper, V("25.0")));
        Assert.Equal(Option<string>.None, Top("{\"rootfs\":{},\"os\":\"linux\"}", V("24.0")));
    }

    [Fact]
    public void Upper_case_diff_ids_parse_before_18_04_only()
    {
        var upper = "sha256:" + D1[7..].ToUpperInvariant();
        var json = $"{{\"rootfs\":{{\"diff_ids\":[\"{upper}\"]}}}}";
        Assert.Equal(Some(upper), Top(json, V("17.06")));
        Assert.Equal($"rootfs.diff_ids holds \"{upper}\", which is not a digest", Error(json));
    }
}
