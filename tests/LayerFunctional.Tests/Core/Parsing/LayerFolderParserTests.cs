using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using static LayerFunctional.Tests.Support.ParserInputs;

namespace LayerFunctional.Tests.Core.Parsing;

/// <summary>Each metadata file of a layer folder (layer-store.md §2.2, §8), case by case: exact parsed records and exact errors.</summary>
public class LayerFolderParserTests
{
    private const string Folder = "image/overlay2/layerdb/sha256/" + Hex;
    private static readonly MobyVersion V1706 = MobyVersion.Parse("17.06").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1806 = MobyVersion.Parse("18.06").IfLeft(e => throw new ArgumentException(e));
    private static readonly ChainID OtherChain = ChainID.Parse("sha256:" + Other, V29).IfLeft(e => throw new ArgumentException(e));

    private static RawDirectory.Present Layer(params (string Name, RawFile? File)[] overrides)
    {
        var files = new Dictionary<string, RawFile>(StringComparer.Ordinal)
        {
            ["diff"] = T("sha256:" + Hex), ["size"] = T("1234"), ["cache-id"] = T(" cache\n"),
        };
        foreach (var (n, f) in overrides)
            if (f is null) files.Remove(n);
            else files[n] = f;
        return Dir(files.Select(kv => (kv.Key, kv.Value)).ToArray());
    }

    private static Either<LayerError, LayerFolder> Parse(RawDirectory.Present dir, MobyVersion? v = null) =>
        LayerFolderParser.Parse(Chain, Folder, dir, v ?? V29);

    private static LayerError Error(Either<LayerError, LayerFolder> r) =>
        r.Match(Left: e => e, Right: f => throw new Xunit.Sdk.XunitException("parsed: " + f));

    private static LayerError.Malformed Bad(string file, ProblemKind kind, string content, string reason) =>
        new(Folder + "/" + file, kind, GoText.Quote(Encoding.UTF8.GetBytes(content)), reason);

    private static RawDirectory.Present Healthy(params (string Name, string Content)[] overrides)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["diff"] = "sha256:" + Hex, ["size"] = "1234", ["cache-id"] = new string('c', 64),
        };
        foreach (var (n, c) in overrides) files[n] = c;
        return TextDir(files.Select(kv => (kv.Key, kv.Value)).ToArray());
    }

    private static (string Kind, string Path) Failure(Either<LayerError, LayerFolder> r) =>
        r.Match(Left: e => (e.Kind.Id(), e.Path), Right: _ => throw new Xunit.Sdk.XunitException("expected a failure"));

    [Theory]
    [InlineData("\t sha256:" + Hex + "\r\n")]
    [InlineData("\u00a0sha256:" + Hex + "\u3000")]
    [InlineData("sha384:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Diff_is_trimmed_and_parsed_as_a_digest(string diff)
    {
        var r = Parse(Healthy(("diff", diff)));
        Assert.Equal(diff.Trim(), r.Map(l => l.DiffID.ToString()).IfLeft(e => Explain.Message(e)));
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
        Assert.Equal(upper, Parse(Healthy(("diff", upper)), V1706).Map(l => l.DiffID.ToString()).IfLeft(e => Explain.Message(e)));
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
        Assert.Equal(new LayerError.Malformed(Folder + "/size", ProblemKind.SizeInvalid, "\"10\\n\"", "strconv.ParseInt: parsing \"10\\n\": invalid syntax"),
            Error(Parse(Healthy(("size", "10\n")))));
    }

    [Theory]
    [InlineData("not-hex at all", true)]
    [InlineData("../../etc", true)]
    [InlineData(" \t\n", false)]
    [InlineData("", false)]
    public void Cache_id_needs_only_non_empty_text_from_18_06(string cacheId, bool loads)
    {
        var r = Parse(Healthy(("cache-id", cacheId)));
        if (loads) Assert.Equal(cacheId.Trim(), r.Map(l => l.CacheID.Value).IfLeft(e => Explain.Message(e)));
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
        Assert.Equal((kind, Folder + "/" + file), Failure(Parse(TextDir(files))));
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
        Assert.Equal(("layer_dir_empty", Folder), Failure(Parse(TextDir())));

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

    [Fact]
    public void A_full_folder_parses_every_file()
    {
        var r = Parse(Layer(("parent", T("\tsha256:" + Other + "\n")), ("descriptor.json", T("{\"mediaType\":\"m\",\"size\":3}")), ("size", T("-7"))));
        var f = r.IfLeft(e => throw new Xunit.Sdk.XunitException(Explain.Message(e)));
        Assert.Equal(Chain, f.ChainID);
        Assert.Equal("sha256:" + Hex, f.DiffID.ToString());
        Assert.Equal(-7L, f.Size);
        Assert.Equal("cache", f.CacheID.Value);
        Assert.Equal(Some(OtherChain), f.Parent);
        Assert.Equal(new LayerDescriptor(Some("m"), Some(3L), None, Empty), f.Descriptor);
        var bare = Parse(Layer()).IfLeft(e => throw new Xunit.Sdk.XunitException(Explain.Message(e)));
        Assert.Equal((Option<ChainID>.None, LayerDescriptor.Empty, 1234L), (bare.Parent, bare.Descriptor, bare.Size));
    }

    [Theory]
    [InlineData("9223372036854775808", "value out of range")]
    [InlineData("+9223372036854775808", "value out of range")]
    [InlineData("-9223372036854775809", "value out of range")]
    [InlineData("99999999999999999999999", "value out of range")]
    [InlineData("+", "invalid syntax")]
    [InlineData("-", "invalid syntax")]
    [InlineData("", "invalid syntax")]
    [InlineData("1a", "invalid syntax")]
    [InlineData("a1", "invalid syntax")]
    [InlineData("+-1", "invalid syntax")]
    [InlineData("1/", "invalid syntax")]
    [InlineData("1:", "invalid syntax")]
    [InlineData("99999999999999999999999 ", "invalid syntax")]
    public void Size_errors_say_range_or_syntax(string size, string why) =>
        Assert.Equal(Bad("size", ProblemKind.SizeInvalid, size, $"strconv.ParseInt: parsing {GoText.Quote(size)}: {why}"),
            Error(Parse(Layer(("size", T(size))))));

    [Fact]
    public void Each_file_fails_with_its_own_kind_and_path()
    {
        Assert.Equal(new LayerError.FileMissing(Folder + "/diff", ProblemKind.DiffIdMissing), Error(Parse(Layer(("diff", null)))));
        Assert.Equal(new LayerError.FileMissing(Folder + "/size", ProblemKind.SizeMissing), Error(Parse(Layer(("size", null)))));
        Assert.Equal(new LayerError.FileMissing(Folder + "/cache-id", ProblemKind.CacheIdMissing), Error(Parse(Layer(("cache-id", null)))));
        Assert.Equal(Bad("diff", ProblemKind.DiffIdInvalid, "sha256:x", "invalid checksum digest length"), Error(Parse(Layer(("diff", T("sha256:x"))))));
        Assert.Equal(Bad("cache-id", ProblemKind.CacheIdInvalid, "\n", "invalid cache id value"), Error(Parse(Layer(("cache-id", T("\n"))))));
        Assert.Equal(Bad("cache-id", ProblemKind.CacheIdInvalid, " cache\n", "invalid cache id value"), Error(Parse(Layer(), V1706)));
        Assert.Equal(Bad("parent", ProblemKind.ParentInvalid, "", "invalid checksum digest format"), Error(Parse(Layer(("parent", T(""))))));
        Assert.Equal(Bad("descriptor.json", ProblemKind.DescriptorInvalid, "[]", "cannot unmarshal array into Go value of type distribution.Descriptor"),
            Error(Parse(Layer(("descriptor.json", T("[]"))))));
    }

    [Fact]
    public void The_first_failing_file_in_moby_order_wins()
    {
        Assert.Equal(ProblemKind.DiffIdInvalid, Error(Parse(Layer(("diff", T("x")), ("size", T("x")), ("cache-id", T("")), ("parent", T("")), ("descriptor.json", T("[]"))))).Kind);
        Assert.Equal(ProblemKind.SizeMissing, Error(Parse(Layer(("size", null), ("cache-id", T("")), ("parent", T("")), ("descriptor.json", T("[]"))))).Kind);
        Assert.Equal(ProblemKind.CacheIdInvalid, Error(Parse(Layer(("cache-id", T("")), ("parent", T("")), ("descriptor.json", T("[]"))))).Kind);
        Assert.Equal(ProblemKind.ParentInvalid, Error(Parse(Layer(("parent", T("")), ("descriptor.json", T("[]"))))).Kind);
    }

    [Fact]
    public void Only_a_folder_without_entries_is_empty()
    {
        Assert.Equal(new LayerError.FolderEmpty(Folder), Error(Parse(new RawDirectory.Present(default, default))));
        // An entry that is not a metadata file still makes the folder non-empty: diff is then missing.
        Assert.Equal(new LayerError.FileMissing(Folder + "/diff", ProblemKind.DiffIdMissing),
            Error(Parse(new RawDirectory.Present(Seq1("tar-split.json.gz"), default))));
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("directory")]
    public void Irregular_files_cannot_be_read(string type) =>
        Assert.Equal(new LayerError.FileUnreadable(Folder + "/size", ProblemKind.NotARegularFile, $"it is a {type}"),
            Error(Parse(Layer(("size", new RawFile.NotRegular(type))))));

    [Fact]
    public void Every_unreadable_file_kind_has_its_reason()
    {
        Assert.Equal(new LayerError.FileUnreadable(Folder + "/diff", ProblemKind.FileTooLarge, "70000 bytes, over the 16 MiB read limit"),
            Error(Parse(Layer(("diff", new RawFile.TooLarge(70000))))));
        Assert.Equal(new LayerError.FileUnreadable(Folder + "/cache-id", ProblemKind.SymlinkOutsideRoot, "symbolic link to /x, outside the docker root (not followed)"),
            Error(Parse(Layer(("cache-id", new RawFile.OutsideRoot("/x"))))));
        Assert.Equal(new LayerError.FileUnreadable(Folder + "/parent", ProblemKind.EntryUnreadable, "EACCES"),
            Error(Parse(Layer(("parent", new RawFile.Unreadable("EACCES"))))));
        Assert.Equal(new LayerError.FileUnreadable(Folder + "/descriptor.json", ProblemKind.EntryUnreadable, "not read"),
            Error(Parse(Layer(("descriptor.json", new RawFile.NotRead(3))))));
        Assert.Equal(new LayerError.FileUnreadable(Folder + "/descriptor.json", ProblemKind.EntryUnreadable, "not read"), Error(Parse(Layer(("descriptor.json", new RawFile.NotRead(3))))));
    }
}
