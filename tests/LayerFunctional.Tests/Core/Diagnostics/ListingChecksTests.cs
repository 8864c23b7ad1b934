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
        Fact Ignored(string name, EntryType type) => new Fact.InvalidLayerFolderName(name, type, UpperCaseAccepted: false);
        var expected = Seq(
            Found(ProblemKind.LayerDirIsSymlink, Severity.Warning, Db + "/sha256/" + Hex("link"), new Fact.LayerFolderIsSymlink(Hex("link"))),
            Found(ProblemKind.RemovalLeftover, Severity.Warning, Db + "/sha256/" + removing, new Fact.RemovalLeftover(RemovedAtShutdown: true), cache: "leftcache"),
            Found(ProblemKind.RemovalLeftover, Severity.Warning, Db + "/sha256/" + removingNoCache, new Fact.RemovalLeftover(RemovedAtShutdown: true)),
            Found(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/" + Hex("file"), Ignored(Hex("file"), EntryType.File)),
            Found(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/mounts", Ignored("mounts", EntryType.Directory)),
            Found(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/odd\n", Ignored("odd\n", EntryType.Other)),
            Found(ProblemKind.InvalidLayerDirEntry, Severity.Warning, Db + "/sha256/zz-removing", Ignored("zz-removing", EntryType.Directory)));
        var quirks = Run(snap, root).Problems.Filter(p => p.Kind is ProblemKind.LayerDirIsSymlink or ProblemKind.RemovalLeftover or ProblemKind.InvalidLayerDirEntry);
        Assert.Equal(expected.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(), quirks);

        // Before 20.10 moby never made -removing folders; before 18.04 upper-case names are valid.
        Option<Fact> FactAt(MobyVersion v, string path) => Run(snap, root, v).Problems.Find(p => p.Path.EndsWith(path, StringComparison.Ordinal)).Map(p => p.Fact);
        Assert.Equal(Some<Fact>(new Fact.RemovalLeftover(RemovedAtShutdown: false)), FactAt(V("17.06"), removing));
        Assert.Equal(Some<Fact>(new Fact.InvalidLayerFolderName("mounts", EntryType.Directory, UpperCaseAccepted: true)), FactAt(V("17.06"), "/sha256/mounts"));
        Assert.Equal(Some<Fact>(new Fact.RemovalLeftover(RemovedAtShutdown: true)), FactAt(V("20.10"), removing));
        Assert.Equal(Some<Fact>(new Fact.RemovalLeftover(RemovedAtShutdown: false)), FactAt(V("18.06"), removing));
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
                Found(ProblemKind.StaleTransaction, Severity.Warning, Db + "/tmp/write-set-1", new Fact.StaleTransaction(Empty: false), cache: "c1"),
                Found(ProblemKind.StaleTransaction, Severity.Warning, Db + "/tmp/write-set-2", new Fact.StaleTransaction(Empty: true)),
                Found(ProblemKind.StaleTransaction, Severity.Warning, Db + "/tmp/write-set-3", new Fact.StaleTransaction(Empty: false))),
            Run(snap, root).Problems);
    }
}
