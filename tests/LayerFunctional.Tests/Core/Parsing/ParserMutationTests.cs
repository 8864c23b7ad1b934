using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Mutation;

/// <summary>Layer and mount folders (layer-store.md §2.2, §7.1): exact parsed records and exact errors.</summary>
public class ParserMutationTests
{
    private const string Hex = "589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3";
    private const string Other = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Folder = "image/overlay2/layerdb/sha256/" + Hex;
    private const string MountFolder = "image/overlay2/layerdb/mounts/m";
    private static readonly MobyVersion V29 = MobyVersion.Default;
    private static readonly MobyVersion V1706 = MobyVersion.Parse("17.06").IfLeft(e => throw new ArgumentException(e));
    private static readonly ChainID Chain = ChainID.Parse("sha256:" + Hex, V29).IfLeft(e => throw new ArgumentException(e));
    private static readonly ChainID OtherChain = ChainID.Parse("sha256:" + Other, V29).IfLeft(e => throw new ArgumentException(e));

    private static RawFile T(string s) => SnapshotBuilder.Text(s);

    private static RawDirectory.Present Dir(params (string Name, RawFile File)[] files) =>
        new(files.Select(f => f.Name).ToSeq(), toHashMap(files));

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

    [Fact]
    public void A_full_folder_parses_every_file()
    {
        var r = Parse(Layer(("parent", T("\tsha256:" + Other + "\n")), ("descriptor.json", T("{\"mediaType\":\"m\",\"size\":3}")), ("size", T("-7"))));
        var f = r.IfLeft(e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(Chain, f.ChainID);
        Assert.Equal("sha256:" + Hex, f.DiffID.ToString());
        Assert.Equal(-7L, f.Size);
        Assert.Equal("cache", f.CacheID.Value);
        Assert.Equal(Some(OtherChain), f.Parent);
        Assert.Equal(new LayerDescriptor(Some("m"), Some(3L), None, Empty), f.Descriptor);
        var bare = Parse(Layer()).IfLeft(e => throw new Xunit.Sdk.XunitException(e.Message));
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
        Assert.Equal("descriptor.json cannot be read: not read", Error(Parse(Layer(("descriptor.json", new RawFile.NotRead(3))))).Message);
    }

    private static Either<LayerError, MountFolder> Mount(params (string Name, RawFile File)[] files) =>
        MountFolderParser.Parse("m", MountFolder, Dir(files), V29);

    private static LayerError MountError(params (string Name, RawFile File)[] files) =>
        Mount(files).Match(Left: e => e, Right: m => throw new Xunit.Sdk.XunitException("parsed: " + m));

    [Fact]
    public void A_mount_folder_parses_every_file()
    {
        var m = Mount(("mount-id", T(Other + "\n")), ("init-id", T(" " + Hex + "-init")), ("parent", T("sha256:" + Hex))).IfLeft(e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(("m", MountFolder, Other, Some(Hex + "-init"), Some(Chain)), (m.Name, m.Folder, m.MountID.Value, m.InitID.Map(i => i.Value), m.Parent));
        var bare = Mount(("mount-id", T(Other))).IfLeft(e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal((Option<string>.None, Option<ChainID>.None), (bare.InitID.Map(i => i.Value), bare.Parent));
    }

    [Fact]
    public void Mount_errors_are_exact_and_in_order()
    {
        Assert.Equal(new LayerError.FileMissing(MountFolder + "/mount-id", ProblemKind.MountIdMissing), MountError(("init-id", T("x")), ("parent", T("x"))));
        Assert.Equal(new LayerError.Malformed(MountFolder + "/mount-id", ProblemKind.MountIdInvalid, "\"x\"", "invalid mount id value"),
            MountError(("mount-id", T("x")), ("init-id", T("x")), ("parent", T("x"))));
        Assert.Equal(new LayerError.Malformed(MountFolder + "/init-id", ProblemKind.InitIdInvalid, "\"x\"", "invalid init id value"),
            MountError(("mount-id", T(Other)), ("init-id", T("x")), ("parent", T("x"))));
        Assert.Equal(new LayerError.Malformed(MountFolder + "/parent", ProblemKind.MountParentInvalid, "\"x\"", "invalid checksum digest format"),
            MountError(("mount-id", T(Other)), ("parent", T("x"))));
        Assert.Equal(new LayerError.FileUnreadable(MountFolder + "/init-id", ProblemKind.NotARegularFile, "it is a directory"),
            MountError(("mount-id", T(Other)), ("init-id", new RawFile.NotRegular("directory"))));
        Assert.Equal(new LayerError.FileUnreadable(MountFolder + "/parent", ProblemKind.EntryUnreadable, "EIO"),
            MountError(("mount-id", T(Other)), ("parent", new RawFile.Unreadable("EIO"))));
    }
}
