using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>What moby's listing of layerdb/sha256 skips (layer-store.md §1.4, §1.8), and the folders an interrupted removal or
/// transaction leaves, on in-memory roots: exact problems.</summary>
public class ListingChecksTests : RootChecksFixture
{
    [Fact]
    public void Listing_quirks_name_each_entry_moby_skips()
    {
        var (a, af) = Base("a", "ca");
        var removing = Hex("r") + "-" + Hex("rand") + "-removing";
        var removingNoCache = Hex("s") + "-" + Hex("rand") + "-removing";
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            .WithSha256Entry(new DirectoryEntry(Hex("link"), EntryType.Symlink))
            .WithSha256Entry(new DirectoryEntry(removing, EntryType.Directory))
            .WithSha256Entry(new DirectoryEntry(removingNoCache, EntryType.Directory))
            .WithSha256Entry(new DirectoryEntry("zz-removing", EntryType.Directory))
            .WithSha256Entry(new DirectoryEntry(Hex("file"), EntryType.File))
            .WithSha256Entry(new DirectoryEntry("mounts", EntryType.Directory))
            .WithSha256Entry(new DirectoryEntry("odd\n", EntryType.Other))
            .Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            Leftovers = HashMap(
                ("sha256/" + removing, (RawDirectory)Dir(("cache-id", T(" leftcache\n")))),
                ("sha256/" + removingNoCache, (RawDirectory)Dir(("cache-id", T(" \n"))))),
        };
        const string Ignored = "moby's listing ignores it";
        var expected = Seq(
            P(ProblemKind.LayerDirIsSymlink, Severity.Warning, Db + "/sha256/" + Hex("link"), $"\"{Hex("link")}\" is a symbolic link",
                "moby does not list it; it loads only as another layer's parent, and then gives no reference to its own parent"),
            P(ProblemKind.RemovalLeftover, Severity.Warning, Db + "/sha256/" + removing, "a layer folder renamed for removal whose deletion did not finish",
                "moby removes it and driver folder leftcache only at a clean daemon shutdown", cache: "leftcache"),
            P(ProblemKind.RemovalLeftover, Severity.Warning, Db + "/sha256/" + removingNoCache, "a layer folder renamed for removal whose deletion did not finish",
                "moby never removes it: it has no readable cache-id"),
            P(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/" + Hex("file"), $"\"{Hex("file")}\" is not a folder", Ignored),
            P(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/mounts", "folder name \"mounts\" is not a valid lower-case sha256 digest", Ignored),
            P(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/odd\n", "\"odd\\n\" is not a folder", Ignored),
            P(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/zz-removing", "folder name \"zz-removing\" is not a valid lower-case sha256 digest", Ignored));
        var quirks = Run(snap, root).Problems.Filter(p => p.Kind is ProblemKind.LayerDirIsSymlink or ProblemKind.RemovalLeftover or ProblemKind.InvalidLayerDirEntry);
        Assert.Equal(expected.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(), quirks.Map(Explained.Of));

        // Before 20.10 moby never made -removing folders; before 18.04 upper-case names are valid, so the wording has no "lower-case".
        var old = Run(snap, root, V("17.06")).Problems;
        Assert.Equal("moby before 20.10 never creates or removes such folders",
            old.Find(p => p.Path.EndsWith(removing, StringComparison.Ordinal)).Map(p => Explain.Consequence(p)).IfNone(""));
        Assert.Equal("folder name \"mounts\" is not a valid sha256 digest", old.Find(p => p.Path == Db + "/sha256/mounts").Map(p => Explain.Message(p)).IfNone(""));
        Assert.Equal("moby removes it and driver folder leftcache only at a clean daemon shutdown",
            Run(snap, root, V("20.10")).Problems.Find(p => p.Path.EndsWith(removing, StringComparison.Ordinal)).Map(p => Explain.Consequence(p)).IfNone(""));
        Assert.Equal("moby before 20.10 never creates or removes such folders",
            Run(snap, root, V("18.06")).Problems.Find(p => p.Path.EndsWith(removing, StringComparison.Ordinal)).Map(p => Explain.Consequence(p)).IfNone(""));
    }

    [Fact]
    public void Stale_transactions_are_named_with_their_cache_id()
    {
        var snap = SnapshotBuilder.Empty.Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            Tmp = Listed("write-set-2", "write-set-1", "other", "write-set-3"),
            Leftovers = HashMap(
                ("tmp/write-set-1", (RawDirectory)Dir(("cache-id", T("c1")))),
                ("tmp/write-set-2", (RawDirectory)new RawDirectory.Present(default, default)),
                ("tmp/write-set-3", (RawDirectory)new RawDirectory.Unreadable("EACCES"))),
        };
        Assert.Equal(Seq(
                P(ProblemKind.StaleTransaction, Severity.Warning, Db + "/tmp/write-set-1",
                    "an uncommitted layer transaction (a pull or build died before the final rename)", "moby never removes it; driver folder c1 belongs to no layer", cache: "c1"),
                P(ProblemKind.StaleTransaction, Severity.Warning, Db + "/tmp/write-set-2", "an empty layer transaction folder", "moby never removes it"),
                P(ProblemKind.StaleTransaction, Severity.Warning, Db + "/tmp/write-set-3",
                    "an uncommitted layer transaction (a pull or build died before the final rename)", "moby never removes it")),
            Run(snap, root).Problems.Map(Explained.Of));
    }
}
