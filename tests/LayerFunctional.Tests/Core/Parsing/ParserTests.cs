using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>Each metadata file's acceptance, case by case from layer-store.md §2 and §8.</summary>
public class ParserTests
{
    private const string Hex = "589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3";
    private const string Folder = "image/overlay2/layerdb/sha256/" + Hex;
    private static readonly MobyVersion V29 = MobyVersion.Default;
    private static readonly MobyVersion V1706 = MobyVersion.Parse("17.06").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1806 = MobyVersion.Parse("18.06").IfLeft(e => throw new ArgumentException(e));

    private static RawDirectory.Present Dir(params (string Name, string Content)[] files) =>
        new(files.Select(f => f.Name).ToSeq(), toHashMap(files.Select(f => (f.Name, (RawFile)new RawFile.Content(Encoding.UTF8.GetBytes(f.Content))))));

    private static RawDirectory.Present Healthy(params (string Name, string Content)[] overrides)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["diff"] = "sha256:" + Hex, ["size"] = "1234", ["cache-id"] = new string('c', 64),
        };
        foreach (var (n, c) in overrides) files[n] = c;
        return Dir(files.Select(kv => (kv.Key, kv.Value)).ToArray());
    }

    private static Either<LayerError, LayerFolder> Parse(RawDirectory.Present dir, MobyVersion? v = null) =>
        LayerFolderParser.Parse(ChainID.Parse("sha256:" + Hex, V29).IfLeft(_ => throw new InvalidOperationException()), Folder, dir, v ?? V29);

    private static (string Kind, string Path) Failure(Either<LayerError, LayerFolder> r) =>
        r.Match(Left: e => (e.Kind.Id(), e.Path), Right: _ => throw new Xunit.Sdk.XunitException("expected a failure"));

    [Theory]
    [InlineData("\t sha256:" + Hex + "\r\n")]
    [InlineData("\u00a0sha256:" + Hex + "\u3000")]
    [InlineData("sha384:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Diff_is_trimmed_and_parsed_as_a_digest(string diff)
    {
        var r = Parse(Healthy(("diff", diff)));
        Assert.Equal(diff.Trim(), r.Map(l => l.DiffID.ToString()).IfLeft(e => e.Message));
    }

    [Theory]
    [InlineData("\ufeffsha256:" + Hex)]           // BOM is not white space for Go
    [InlineData(Hex)]                             // no algorithm
    [InlineData("SHA256:" + Hex)]
    [InlineData("sha256:" + Hex + "0")]           // 65 hex
    [InlineData("sha256:" + "589F0D58B9053A4FF7329B8FDB4F9DD120E29354C086AD0B3B10733F6CFD6DE3")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("")]
    [InlineData("\u200bsha256:" + Hex)]
    public void Bad_diff_is_diff_id_invalid(string diff) =>
        Assert.Equal(("diff_id_invalid", Folder + "/diff"), Failure(Parse(Healthy(("diff", diff)))));

    [Fact]
    public void Upper_case_hex_loads_before_18_04_only()
    {
        var upper = "sha256:" + Hex.ToUpperInvariant();
        Assert.Equal(upper, Parse(Healthy(("diff", upper)), V1706).Map(l => l.DiffID.ToString()).IfLeft(e => e.Message));
        Assert.Equal(("diff_id_invalid", Folder + "/diff"), Failure(Parse(Healthy(("diff", upper)), V1806)));
    }

    [Theory]
    [InlineData("+7", 7)]
    [InlineData("-5", -5)]
    [InlineData("-0", 0)]
    [InlineData("007", 7)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Size_accepts_what_ParseInt_accepts(string size, long expected) =>
        Assert.Equal(Right<LayerError, long>(expected), Parse(Healthy(("size", size))).Map(l => l.Size));

    [Theory]
    [InlineData("10\n")]
    [InlineData(" 7")]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("1_000")]
    [InlineData("0x10")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("١٢")]   // Arabic-Indic digits
    public void Size_is_not_trimmed_and_rejects_the_rest(string size) =>
        Assert.Equal(("size_invalid", Folder + "/size"), Failure(Parse(Healthy(("size", size)))));

    [Fact]
    public void Size_error_quotes_the_bytes()
    {
        var e = Parse(Healthy(("size", "10\n"))).Match(Left: e => e.Message, Right: _ => "");
        Assert.Equal("size is \"10\\n\": strconv.ParseInt: parsing \"10\\n\": invalid syntax", e);
    }

    [Theory]
    [InlineData("not-hex at all", true)]
    [InlineData("../../etc", true)]
    [InlineData(" \t\n", false)]
    [InlineData("", false)]
    public void Cache_id_needs_only_non_empty_text_from_18_06(string cacheId, bool loads)
    {
        var r = Parse(Healthy(("cache-id", cacheId)));
        if (loads) Assert.Equal(cacheId.Trim(), r.Map(l => l.CacheID.Value).IfLeft(e => e.Message));
        else Assert.Equal(("cache_id_invalid", Folder + "/cache-id"), Failure(r));
    }

    [Fact]
    public void Cache_id_must_be_64_hex_before_18_06()
    {
        Assert.Equal(("cache_id_invalid", Folder + "/cache-id"), Failure(Parse(Healthy(("cache-id", "not-hex")), V1706)));
        Assert.True(Parse(Healthy(("cache-id", new string('a', 64) + "-init\n")), V1706).IsRight);
    }

    [Fact]
    public void Missing_parent_is_a_base_layer_but_an_empty_one_fails()
    {
        Assert.Equal(Right<LayerError, Option<ChainID>>(None), Parse(Healthy()).Map(l => l.Parent));
        Assert.Equal(("parent_invalid", Folder + "/parent"), Failure(Parse(Healthy(("parent", "")))));
        Assert.Equal(("parent_invalid", Folder + "/parent"), Failure(Parse(Healthy(("parent", "\n")))));
        Assert.Equal("sha256:" + Hex, Parse(Healthy(("parent", " sha256:" + Hex + "\n"))).Map(l => l.Parent.Map(p => p.ToString()).IfNone("")).IfLeft(""));
    }

    [Theory]
    [InlineData("diff", "diff_id_missing")]
    [InlineData("size", "size_missing")]
    [InlineData("cache-id", "cache_id_missing")]
    public void Missing_required_file_names_itself(string file, string kind)
    {
        var files = new[] { ("diff", "sha256:" + Hex), ("size", "1"), ("cache-id", "x") }.Where(f => f.Item1 != file).ToArray();
        Assert.Equal((kind, Folder + "/" + file), Failure(Parse(Dir(files))));
    }

    [Fact]
    public void First_failing_file_in_moby_order_wins()
    {
        // diff, then size, then cache-id, parent, descriptor.json: loadLayer stops at the first error.
        var r = Parse(Healthy(("size", "x"), ("cache-id", ""), ("parent", "bad")));
        Assert.Equal(("size_invalid", Folder + "/size"), Failure(r));
    }

    [Fact]
    public void Empty_folder_is_layer_dir_empty() =>
        Assert.Equal(("layer_dir_empty", Folder), Failure(Parse(Dir())));

    [Fact]
    public void Unreadable_and_irregular_files_fail_the_layer()
    {
        var dir = new RawDirectory.Present(Seq("diff", "size", "cache-id"), toHashMap(new[]
        {
            ("diff", (RawFile)new RawFile.Content(Encoding.ASCII.GetBytes("sha256:" + Hex))),
            ("size", new RawFile.NotRegular("fifo")),
            ("cache-id", new RawFile.Content("c"u8.ToArray())),
        }));
        Assert.Equal(("not_a_regular_file", Folder + "/size"), Failure(Parse(dir)));
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("null", true)]
    [InlineData("{\"MEDIATYPE\":\"x\",\"Size\":5,\"unknown\":[1,{\"a\":null}]} \n", true)]
    [InlineData("{\"dıgest\":5}", true)]                      // dotless i does not fold: unknown key
    [InlineData("{\"urls\":[\"a\",null]}", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("[]", false)]
    [InlineData("\"x\"", false)]
    [InlineData("{} {}", false)]
    [InlineData("\ufeff{}", false)]
    [InlineData("{\"size\":1.5}", false)]
    [InlineData("{\"size\":1e3}", false)]
    [InlineData("{\"size\":\"5\"}", false)]
    [InlineData("{\"size\":\"x\",\"size\":5}", false)]        // every duplicate is decoded
    [InlineData("{\"ſize\":\"x\"}", false)]                   // U+017F folds to s
    [InlineData("{\"\u212Aey\":1,\"mediaType\":5}", false)]
    [InlineData("{\"urls\":\"a\"}", false)]
    [InlineData("{\"size\":9223372036854775808}", false)]
    [InlineData("{", false)]
    public void Descriptor_follows_go_encoding_json(string json, bool loads) =>
        Assert.Equal(loads, GoDescriptorJson.Decode(Encoding.UTF8.GetBytes(json), V29).IsRight);

    [Fact]
    public void Descriptor_nesting_limit_is_10000()
    {
        static byte[] Nested(int depth) =>
            Encoding.ASCII.GetBytes("{\"x\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}");
        Assert.True(GoDescriptorJson.Decode(Nested(10_000), V29).IsRight);
        Assert.True(GoDescriptorJson.Decode(Nested(10_001), V29).IsLeft);
    }

    [Fact]
    public void Descriptor_platform_and_annotations_are_typed_from_19_03()
    {
        var bad = Encoding.ASCII.GetBytes("{\"annotations\":5}");
        Assert.True(GoDescriptorJson.Decode(bad, V29).IsLeft);
        Assert.True(GoDescriptorJson.Decode(bad, V1806).IsRight);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-init", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-init-init", false)]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("", false)]
    public void Mount_id_is_64_lower_hex_with_optional_init(string id, bool valid)
    {
        Assert.Equal(valid, MountID.Parse(id).IsRight);
        Assert.Equal(valid, InitID.Parse(id).IsRight);
    }

    [Fact]
    public void Mount_files_are_trimmed_and_empty_init_id_fails()
    {
        var id = new string('a', 64);
        const string folder = "image/overlay2/layerdb/mounts/m";
        var ok = MountFolderParser.Parse("m", folder, Dir(("mount-id", id + "\n"), ("init-id", "b" + new string('b', 63))), V29);
        Assert.Equal(Right<LayerError, string>(id), ok.Map(m => m.MountID.Value));
        var emptyInit = MountFolderParser.Parse("m", folder, Dir(("mount-id", id), ("init-id", "")), V29);
        Assert.Equal(Left<LayerError, string>(new LayerError.Malformed(folder + "/init-id", ProblemKind.InitIdInvalid, "\"\"", "invalid init id value")),
            emptyInit.Map(m => m.Name));
        var noMountId = MountFolderParser.Parse("m", folder, Dir(("parent", "sha256:" + Hex)), V29);
        Assert.Equal("mount_id_missing", noMountId.Match(Left: e => e.Kind.Id(), Right: _ => ""));
        var emptyParent = MountFolderParser.Parse("m", folder, Dir(("mount-id", id), ("parent", "")), V29);
        Assert.Equal("mount_parent_invalid", emptyParent.Match(Left: e => e.Kind.Id(), Right: _ => ""));
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
