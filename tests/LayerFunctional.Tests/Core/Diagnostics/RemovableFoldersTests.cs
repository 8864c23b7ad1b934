using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>What a clean-up could remove beyond orphan folders (§1.4, §1.8): short links into orphans, leftover layerdb folders
/// and the driver folders only they name.</summary>
public class RemovableFoldersTests : RootChecksFixture
{
    [Fact]
    public void Short_links_into_orphans_are_cleaned_up_with_them()
    {
        var (snap, _, _, _) = DriverStore();
        var orphan = Hex("orphan");
        var home = Home([CacheA, CacheB, MountId, MountId + "-init", orphan], default,
            HashMap(("OOO", new OverlayShortLink("../" + orphan + "/diff", true)), ("KKK", new OverlayShortLink("../" + CacheA + "/diff", true)),
                ("NNN", new OverlayShortLink("nothing", true))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        Assert.Equal(Seq(
                new CleanupItem("overlay2/" + orphan, ProblemKind.OrphanDriverDir, "orphan driver folder"),
                new CleanupItem("overlay2/l/OOO", ProblemKind.OrphanDriverDir, "short link into an orphan folder")),
            r.Cleanup);
        // vfs has no short links: nothing but the orphan.
        var vfs = new DriverHomeSnapshot("vfs", Listed("dir"), HashMap(("dir", Listed(CacheA, CacheB, MountId, MountId + "-init", orphan))), default, home.ShortLinks);
        Assert.Equal(Seq1(new CleanupItem("vfs/dir/" + orphan, ProblemKind.OrphanDriverDir, "orphan driver folder")),
            Run(snap, RootSnapshot.Empty("vfs") with { DriverHome = vfs }, driver: "vfs").Cleanup);
    }

    [Fact]
    public void Leftover_folders_and_the_driver_folders_only_they_name_are_cleaned_up()
    {
        var a = Layer("a");
        var snap = SnapshotBuilder.Empty.WithLayer(a.Chain.ToString(), a.Files).Build();
        var removing = new string('9', 64) + "-" + new string('8', 64) + "-removing";
        RawDirectory Cache(string c) => new RawDirectory.Present(Seq1("cache-id"), HashMap(("cache-id", T(c))));
        var root = RootSnapshot.Empty("overlay2") with
        {
            Leftovers = HashMap(
                ("sha256/" + removing, Cache("lc\n")),
                ("tmp/write-set-1", Cache("tc")),
                ("tmp/write-set-2", Cache(CacheOf("a"))),
                ("tmp/write-set-3", Cache("absent")),
                ("tmp/write-set-4", (RawDirectory)new RawDirectory.Unreadable("EACCES"))),
            DriverHome = new DriverHomeSnapshot("overlay2", new DirectoryListing.Listed(Seq1(new DirectoryEntry("x", EntryType.Directory))),
                HashMap(("", (DirectoryListing)new DirectoryListing.Listed(Seq(CacheOf("a"), "lc", "tc").Map(n => new DirectoryEntry(n, EntryType.Directory))))), default, default),
        };
        var r = RootChecks.Run(V29, "overlay2", snap, LayerStoreLoad.Load(snap, V29), root);
        Assert.Equal(Seq(
                new CleanupItem(Db + "/sha256/" + removing, ProblemKind.RemovalLeftover, "layer folder left by an interrupted removal"),
                new CleanupItem(Db + "/tmp/write-set-1", ProblemKind.StaleTransaction, "uncommitted layer transaction"),
                new CleanupItem(Db + "/tmp/write-set-2", ProblemKind.StaleTransaction, "uncommitted layer transaction"),
                new CleanupItem(Db + "/tmp/write-set-3", ProblemKind.StaleTransaction, "uncommitted layer transaction"),
                new CleanupItem(Db + "/tmp/write-set-4", ProblemKind.StaleTransaction, "uncommitted layer transaction"),
                new CleanupItem("overlay2/lc", ProblemKind.RemovalLeftover, "driver folder named only by sha256/" + removing) { Leftover = Db + "/sha256/" + removing },
                new CleanupItem("overlay2/tc", ProblemKind.StaleTransaction, "driver folder named only by tmp/write-set-1") { Leftover = Db + "/tmp/write-set-1" }),
            r.Cleanup);
        // The leftovers' cache IDs keep their driver folders out of the orphans.
        Assert.Empty(r.OrphanPaths);
        // An undecidable layout never names driver folders.
        var zfs = RootChecks.Run(V29, "zfs", snap, LayerStoreLoad.Load(snap, V29), root with { DriverHome = root.DriverHome with { Driver = "zfs", IdFolders = HashMap(("graph", root.DriverHome.IdFolders.Find("").IfNone(() => throw new InvalidOperationException()))) } });
        Assert.Equal(5, zfs.Cleanup.Count);
    }
}
