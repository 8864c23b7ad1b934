using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Graph;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>Parse as you read: a folder becomes a <see cref="LayerFolderRead"/>, and the load of a layerdb parsed as read equals
/// the load of the same layerdb read raw.</summary>
public class LayerFolderReadTests
{
    private const string Folder = "image/overlay2/layerdb/sha256/x";
    private static readonly string Hex = new('a', 64);
    private static readonly string ParentHex = new('b', 64);
    private static readonly ChainID Chain = ChainID.Parse("sha256:" + Hex, MobyVersion.Default).IfLeft(_ => throw new InvalidOperationException());
    private static readonly ChainID Parent = ChainID.Parse("sha256:" + ParentHex, MobyVersion.Default).IfLeft(_ => throw new InvalidOperationException());

    private static RawFile T(string text) => new RawFile.Content(Encoding.UTF8.GetBytes(text));

    private static RawDirectory.Present Dir(params (string Name, RawFile File)[] files) =>
        new(files.Select(f => f.Name).ToSeq(), FolderFileMap.Of(files));

    [Fact]
    public void A_folder_that_parses_keeps_its_parse_and_shares_its_parent_and_cache_id()
    {
        var read = LayerFolderRead.Of(Chain, Folder, Dir(("diff", T("sha256:" + Hex)), ("size", T("7")), ("cache-id", T(" c1\n")),
            ("parent", T("sha256:" + ParentHex)), ("tar-split.json.gz", new RawFile.NotRead(3))), MobyVersion.Default);
        var folder = read.Parsed.IfLeft(e => throw new Xunit.Sdk.XunitException(Explain.Message(e)));
        Assert.Equal(7L, folder.Size);
        Assert.Equal(Some(Parent), read.ParentLink);
        Assert.Same(folder.Parent.Case, read.ParentLink.Case);
        Assert.Equal(Some("c1"), read.CacheIdText);
        Assert.True(read.HasTarSplit);
        Assert.True(read.Oversized.IsEmpty);
        Assert.False(read.IsMissing);
    }

    [Fact]
    public void What_the_listing_said_of_the_tar_split_is_kept_and_compared()
    {
        var dir = Dir(("diff", T("sha256:" + Hex)), ("size", T("7")), ("cache-id", T("c1")), ("tar-split.json.gz", new RawFile.NotRead(3)));
        var regular = LayerFolderRead.Of(Chain, Folder, dir, MobyVersion.Default, SharedIds.None, tarSplitIsRegular: true);
        var unsaid = LayerFolderRead.Of(Chain, Folder, dir, MobyVersion.Default);
        Assert.True(regular.TarSplitIsRegular);
        Assert.False(unsaid.TarSplitIsRegular);
        Assert.NotEqual(regular, unsaid);
        Assert.Equal(regular, LayerFolderRead.Of(Chain, Folder, dir, MobyVersion.Default, SharedIds.None, tarSplitIsRegular: true));
    }

    [Fact]
    public void A_folder_that_fails_still_gives_its_parent_link_cache_id_and_oversized_files()
    {
        var big = new string('9', MetadataLimits.Usual + 1);
        var read = LayerFolderRead.Of(Chain, Folder, Dir(("diff", T("nonsense")), ("size", T(big)), ("cache-id", T("../../etc\n")),
            ("parent", T(" sha256:" + ParentHex + "\n"))), MobyVersion.Default);
        Assert.Equal(ProblemKind.DiffIdInvalid, read.Parsed.Match(Left: e => e.Kind, Right: _ => default));
        Assert.Equal(Folder + "/diff", read.Parsed.Match(Left: e => e.Path, Right: _ => ""));
        Assert.Equal(Some(Parent), read.ParentLink);
        Assert.Equal(Some("../../etc"), read.CacheIdText);
        Assert.False(read.HasTarSplit);
        Assert.Equal(Seq1(("size", MetadataLimits.Usual + 1)), read.Oversized);
        // A blank cache-id names no folder; an unparsable parent links nowhere.
        var blank = LayerFolderRead.Of(Chain, Folder, Dir(("cache-id", T(" \n")), ("parent", T("sha256:nothex"))), MobyVersion.Default);
        Assert.Equal(Option<string>.None, blank.CacheIdText);
        Assert.Equal(Option<ChainID>.None, blank.ParentLink);
    }

    [Fact]
    public void Folders_that_cannot_be_read_fail_with_their_path()
    {
        var unreadable = LayerFolderRead.Of(Chain, Folder, new RawDirectory.Unreadable("EACCES"), MobyVersion.Default);
        Assert.Equal((ProblemKind.EntryUnreadable, Folder), unreadable.Parsed.Match(Left: e => (e.Kind, e.Path), Right: _ => default));
        var outside = LayerFolderRead.Of(Chain, Folder, new RawDirectory.OutsideRoot("/etc"), MobyVersion.Default);
        Assert.Equal((ProblemKind.SymlinkOutsideRoot, Folder), outside.Parsed.Match(Left: e => (e.Kind, e.Path), Right: _ => default));
        Assert.True(LayerFolderRead.Of(Chain, Folder, new RawDirectory.Missing(), MobyVersion.Default).IsMissing);
        Assert.False(unreadable.IsMissing);
    }

    [Theory]
    [InlineData(3L, new[] { "size_invalid", "parent_cycle" })]
    [InlineData(5L, new[] { "cache_id_invalid", "layer_dir_is_symlink", "file_too_large" })]
    [InlineData(8L, new[] { "parent_layer_missing", "mount_parent_unloadable", "symlink_outside_root" })]
    [InlineData(9L, new string[0])]
    public void The_load_of_a_layerdb_parsed_as_read_equals_the_load_of_the_raw_layerdb(long seed, string[] kinds)
    {
        var root = Corrupters.Generate(seed, new GeneratorOptions(40, 6, 4), kinds.Select(k => Corrupters.ParseKind(k).IfNone(() => throw new ArgumentException(k))).ToSeq())
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var version = root.Expected.Moby;
        using var reader = new DockerRootReader(InMemoryRootFileSystem.Root, new InMemoryRootFileSystem(root));
        var parsed = LayerStoreLoad.Load(reader.ReadLayerDb("overlay2", version));
        var raw = LayerStoreLoad.Load(reader.ReadLayerDbSnapshot("overlay2", version), version);
        Assert.Equal(raw.Outcome, parsed.Outcome);
        Assert.Equal(raw.Store, parsed.Store);
        Assert.Equal(raw.Problems, parsed.Problems);
        Assert.NotEmpty(parsed.Store.Layers);
    }

    [Fact]
    public void A_parent_link_or_cache_id_given_apart_from_the_parsed_folder_is_kept_as_given_and_compared_by_value()
    {
        var read = LayerFolderRead.Of(Chain, Folder, Dir(("diff", T("sha256:" + Hex)), ("size", T("7")), ("cache-id", T("c1")),
            ("parent", T("sha256:" + ParentHex))), MobyVersion.Default);
        var same = new LayerFolderRead(read.Parsed, Some(Parent), Some("c1"), false, Empty);
        Assert.Equal(read, same);
        Assert.Equal(read.GetHashCode(), same.GetHashCode());

        var otherParent = new LayerFolderRead(read.Parsed, Some(Chain), Some("c1"), false, Empty);
        Assert.Equal(Some(Chain), otherParent.ParentLink);
        Assert.Equal(Some("c1"), otherParent.CacheIdText);
        Assert.NotEqual(read, otherParent);

        var otherCacheId = new LayerFolderRead(read.Parsed, Some(Parent), Some("c2"), false, Empty);
        Assert.Equal(Some(Parent), otherCacheId.ParentLink);
        Assert.Equal(Some("c2"), otherCacheId.CacheIdText);
        Assert.NotEqual(read, otherCacheId);

        var none = new LayerFolderRead(read.Parsed, None, None, true, Seq1(("size", 70000)));
        Assert.True(none.ParentLink.IsNone && none.CacheIdText.IsNone && none.HasTarSplit);
        Assert.Equal(Seq1(("size", 70000)), none.Oversized);
        Assert.True(none.Parsed.IsRight);
    }
}
