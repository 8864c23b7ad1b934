using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Mutation;

/// <summary>
/// What dockerd never checks (report.md; layer-store.md §1.4, §1.7, §1.8, §4.8, §6.6), on in-memory roots:
/// listing quirks and leftovers, tar-split, and the graph driver's folders, with exact problems and clean-up items.
/// </summary>
public class RootChecksMutationTests
{
    private const string Db = "image/overlay2/layerdb";
    private static readonly MobyVersion V29 = MobyVersion.Default;

    private static MobyVersion V(string v) => MobyVersion.Parse(v).IfLeft(e => throw new ArgumentException(e));

    private static string Hex(string seed) => Digest.Sha256Of(Encoding.ASCII.GetBytes(seed)).Encoded;

    private static RawFile T(string s) => SnapshotBuilder.Text(s);

    /// <summary>A valid base layer whose diff is sha256(name) and cache-id is the given one.</summary>
    private static (ChainID Chain, Map<string, RawFile> Files) Base(string name, string cache, params (string, RawFile)[] extra)
    {
        var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(name)));
        var files = Map(("diff", T(diff.ToString())), ("size", T("1")), ("cache-id", T(cache)));
        foreach (var (n, f) in extra) files = files.AddOrUpdate(n, f);
        return (ChainID.Compute(None, diff), files);
    }

    private static RawDirectory.Present Dir(params (string Name, RawFile File)[] files) =>
        new(files.Select(f => f.Name).ToSeq(), toHashMap(files));

    private static DirectoryListing Listed(params string[] names) =>
        new DirectoryListing.Listed(names.Select(n => new DirectoryEntry(n, EntryType.Directory)).ToSeq());

    private static RootCheckResult Run(LayerDbSnapshot snap, RootSnapshot root, MobyVersion? v = null, string driver = "overlay2") =>
        RootChecks.Run(v ?? V29, driver, snap, LayerStoreLoad.Load(snap, v ?? V29), root);

    private static Problem P(ProblemKind kind, Severity severity, string path, string message, string consequence,
        string? chain = null, string? mount = null, string? cache = null) =>
        new(kind, severity, path, Optional(chain), Optional(mount), Optional(cache), message, consequence);

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
        Assert.Equal(expected.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(), quirks);

        // Before 20.10 moby never made -removing folders; before 18.04 upper-case names are valid, so the wording has no "lower-case".
        var old = Run(snap, root, V("17.06")).Problems;
        Assert.Equal("moby before 20.10 never creates or removes such folders",
            old.Find(p => p.Path.EndsWith(removing, StringComparison.Ordinal)).Map(p => p.Consequence).IfNone(""));
        Assert.Equal("folder name \"mounts\" is not a valid sha256 digest", old.Find(p => p.Path == Db + "/sha256/mounts").Map(p => p.Message).IfNone(""));
        Assert.Equal("moby removes it and driver folder leftcache only at a clean daemon shutdown",
            Run(snap, root, V("20.10")).Problems.Find(p => p.Path.EndsWith(removing, StringComparison.Ordinal)).Map(p => p.Consequence).IfNone(""));
        Assert.Equal("moby before 20.10 never creates or removes such folders",
            Run(snap, root, V("18.06")).Problems.Find(p => p.Path.EndsWith(removing, StringComparison.Ordinal)).Map(p => p.Consequence).IfNone(""));
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
            Run(snap, root).Problems);
    }

    [Fact]
    public void Tar_split_problems_per_loaded_layer()
    {
        var (a, af) = Base("a", "ca", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (b, bf) = Base("b", "cb");
        var (c, cf) = Base("c", "cc", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (d, df) = Base("d", "cd", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (e, ef) = Base("e", "ce", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (bad, badf) = Base("bad", "cbad");
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af).WithLayer(b.ToString(), bf).WithLayer(c.ToString(), cf)
            .WithLayer(d.ToString(), df).WithLayer(e.ToString(), ef).WithLayer(bad.ToString(), badf.AddOrUpdate("size", T("x"))).Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            TarSplits = HashMap(
                (a, (TarSplitState)new TarSplitState.Valid(3, 2560)),
                (c, (TarSplitState)new TarSplitState.Invalid("line 2: not JSON")),
                (d, (TarSplitState)new TarSplitState.Unreadable("gzip: invalid header"))),
        };
        string Path(ChainID x) => Db + "/" + x.Digest.FolderKey + "/tar-split.json.gz";
        var expected = Seq(
            P(ProblemKind.TarSplitMissing, Severity.Error, Path(b), "tar-split.json.gz is missing",
                $"docker save and push of images with layer {b.Short} fail: its tar stream cannot be rebuilt", chain: b.ToString()),
            P(ProblemKind.TarSplitInvalid, Severity.Error, Path(c), "tar-split.json.gz is not a complete tar-split stream: line 2: not JSON",
                $"docker save and push of images with layer {c.Short} fail", chain: c.ToString()),
            P(ProblemKind.TarSplitInvalid, Severity.Error, Path(d), "tar-split.json.gz is not a complete tar-split stream: cannot be read: gzip: invalid header",
                $"docker save and push of images with layer {d.Short} fail", chain: d.ToString()));
        Assert.Equal(expected.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            Run(snap, root).Problems.Filter(p => p.Kind is ProblemKind.TarSplitMissing or ProblemKind.TarSplitInvalid).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        // e has a file but no verdict (not checked): nothing to say about it.
        Assert.DoesNotContain(Run(snap, root).Problems, p => p.Path == Path(e));
    }

    private static readonly string CacheA = Hex("cache-a");
    private static readonly string CacheB = Hex("cache-b");
    private static readonly string MountId = Hex("mount");

    private static (LayerDbSnapshot Snap, ChainID A, ChainID B, ChainID C) DriverStore()
    {
        var (a, af) = Base("a", CacheA);
        var (b, bf) = Base("b", CacheB);
        var (c, cf) = Base("c", "../../etc");
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af).WithLayer(b.ToString(), bf).WithLayer(c.ToString(), cf)
            .WithMount("m", Map(("mount-id", T(MountId)), ("init-id", T(MountId + "-init")), ("parent", T(a.ToString()))))
            .Build();
        return (snap, a, b, c);
    }

    private static DriverHomeSnapshot Home(string[] names, HashMap<string, OverlayFolder> overlay = default, HashMap<string, OverlayShortLink> links = default) =>
        new("overlay2", Listed("x"), HashMap(("", Listed(names))), overlay, links);

    [Fact]
    public void Driver_folders_are_checked_against_the_ids_the_layerdb_names()
    {
        var (snap, a, b, c) = DriverStore();
        var orphan = Hex("orphan");
        var home = Home([CacheA, "l", "backingFsBlockDev", "metacopy-check123", orphan, "stray"],
            HashMap((CacheA, new OverlayFolder(Some("AAA"u8.ToArray()), None))),
            HashMap(("AAA", new OverlayShortLink("../" + CacheA + "/diff", true))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        const string Safe = "disk space that docker system prune never frees; safe to remove once the daemon is stopped";
        Assert.Equal(Seq(
                P(ProblemKind.CacheDirMissing, Severity.Error, "image/overlay2/layerdb/" + c.Digest.FolderKey + "/cache-id",
                    $"layer {c.Short}'s cache ID \"../../etc\" cannot name a folder in overlay2/ (it is '.' or '..', holds '/' or NUL, or is over 255 bytes)",
                    "moby loads the layer, but the overlay2 driver looks for its content outside its own folder or fails: containers on it cannot start and save/push fail",
                    chain: c.ToString(), cache: "../../etc"),
                P(ProblemKind.CacheDirMissing, Severity.Error, "overlay2/" + CacheB, $"layer {b.Short}'s cache ID names no overlay2 folder",
                    "moby loads the layer, but containers on it fail to start and save/push fail", chain: b.ToString(), cache: CacheB),
                P(ProblemKind.MountDirMissing, Severity.Error, "overlay2/" + MountId, "mount m's mount ID names no overlay2 folder",
                    "its container cannot start: the read-write layer is gone", mount: "m", cache: MountId),
                P(ProblemKind.InitDirMissing, Severity.Error, "overlay2/" + MountId + "-init", "mount m's init ID names no overlay2 folder",
                    "its container cannot start: the init layer is gone", mount: "m", cache: MountId + "-init"),
                P(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + orphan, $"no layer, mount or init layer references \"{orphan}\"", Safe, cache: orphan),
                P(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/stray", "no layer, mount or init layer references \"stray\"", Safe, cache: "stray")),
            r.Problems.Filter(p => p.Kind != ProblemKind.TarSplitMissing));
        Assert.Equal(Seq("overlay2/" + orphan, "overlay2/stray"), r.OrphanPaths);
        Assert.Equal(Seq("overlay2/" + orphan, "overlay2/stray").Map(o => new CleanupItem(o, ProblemKind.OrphanDriverDir, "orphan driver folder")), r.Cleanup);
        Assert.False(r.DaemonRefuses);
    }

    [Fact]
    public void With_buildkit_state_short_names_are_not_orphans()
    {
        var (snap, _, _, _) = DriverStore();
        var buildkitId = "abcdefghijklmnopqrstuvwxy";
        var orphan = Hex("orphan");
        var home = Home([CacheA, CacheB, MountId, MountId + "-init", buildkitId, orphan]);
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home, BuildKitPresent = true });
        Assert.Equal(Seq1("overlay2/" + orphan), r.OrphanPaths);
        var without = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        Assert.Equal(Seq("overlay2/" + buildkitId, "overlay2/" + orphan).OrderBy(x => x, StringComparer.Ordinal).ToSeq(), without.OrphanPaths);
    }

    [Fact]
    public void Folders_still_named_by_lower_chains_are_reported_but_kept()
    {
        var (snap, _, _, _) = DriverStore();
        var used = Hex("used");
        var home = Home([CacheA, CacheB, MountId, MountId + "-init", used],
            HashMap((CacheB, new OverlayFolder(Some("BBB"u8.ToArray()), Some("l/UUU:l/AAA"u8.ToArray()))),
                (CacheA, new OverlayFolder(Some("AAA"u8.ToArray()), None)),
                (used, new OverlayFolder(Some("UUU"u8.ToArray()), None))),
            HashMap(("AAA", new OverlayShortLink("../" + CacheA + "/diff", true)), ("BBB", new OverlayShortLink("../" + CacheB + "/diff", true)),
                ("UUU", new OverlayShortLink("../" + used + "/diff", true))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        Assert.Equal(Seq1(P(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + used, $"no layer, mount or init layer references \"{used}\"",
                "no layerdb entry names it, but layers that load still mount through it (their lower chain names it): recover its layerdb entry rather than delete it",
                cache: used)),
            r.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir));
        Assert.Empty(r.OrphanPaths);
        Assert.Empty(r.Cleanup);
        // A link whose target is not "../<folder>/..." names no folder.
        var odd = home with { ShortLinks = home.ShortLinks.SetItem("UUU", new OverlayShortLink("/abs/" + used + "/diff", true)) };
        Assert.Equal(Seq1("overlay2/" + used), Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = odd }).OrphanPaths);
    }

    [Fact]
    public void Overlay_link_and_lower_files_are_checked_for_referenced_folders()
    {
        var (snap, _, _, _) = DriverStore();
        var home = Home([CacheA, CacheB, MountId, MountId + "-init"],
            HashMap(
                (CacheA, new OverlayFolder(None, Some("l/AAA:l/GONE:x/AAA"u8.ToArray()))),
                (CacheB, new OverlayFolder(Some(""u8.ToArray()), Some("l/DANG"u8.ToArray()))),
                (MountId, new OverlayFolder(Some("NOPE"u8.ToArray()), Some("l/AAA"u8.ToArray()))),
                (MountId + "-init", new OverlayFolder(Some("AAA"u8.ToArray()), None)),
                ("unreferenced", new OverlayFolder(None, Some("bad"u8.ToArray())))),
            HashMap(("AAA", new OverlayShortLink("../" + MountId + "-init/diff", true)), ("DANG", new OverlayShortLink("../gone/diff", false))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        const string Mounting = "layers on top of this one cannot name it in their lower list; mounting them fails";
        const string Lower = "mounting this layer (a container on it, or a build step) fails";
        var linkAndLower = r.Problems.Filter(p => p.Kind is ProblemKind.OverlayLinkFileEmpty or ProblemKind.OverlayLinkSymlinkMissing
            or ProblemKind.OverlayLowerEntryInvalid or ProblemKind.OverlaySymlinkDangling);
        Assert.Equal(Seq(
                P(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"overlay2/{CacheA}/link", "the link file is missing", Mounting, cache: CacheA),
                P(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheA}/lower", "lower names \"l/GONE\", \"x/AAA\", which do not lead to a layer", Lower, cache: CacheA),
                P(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"overlay2/{CacheB}/link", "the link file is empty", Mounting, cache: CacheB),
                P(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheB}/lower", "lower names \"l/DANG\", which does not lead to a layer", Lower, cache: CacheB),
                P(ProblemKind.OverlayLinkSymlinkMissing, Severity.Warning, $"overlay2/{MountId}/link", "link names \"NOPE\", which is not in overlay2/l/",
                    "mounts that go through this layer fail until the short link is recreated", cache: MountId),
                P(ProblemKind.OverlaySymlinkDangling, Severity.Warning, "overlay2/l/DANG", "l/DANG points to \"../gone/diff\", which does not exist",
                    "harmless in itself, but a sign of a removal that did not finish"))
                .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            linkAndLower.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        Assert.Equal(Seq1(new CleanupItem("overlay2/l/DANG", ProblemKind.OverlaySymlinkDangling, "dangling short link")), r.Cleanup);
    }

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
    public void An_empty_or_missing_driver_home_is_reported_when_the_layerdb_names_content()
    {
        var (snap, _, _, _) = DriverStore();
        const string Cost = "the content of 3 loaded layers and 1 mount is not there: containers cannot start and images cannot be saved or pushed";
        var missing = Run(snap, RootSnapshot.Empty("overlay2"));
        Assert.Equal(Seq1(P(ProblemKind.DriverHomeMissing, Severity.Error, "overlay2", $"overlay2/ is missing but {Db} names layers and mounts", Cost)),
            missing.Problems.Filter(p => p.Kind == ProblemKind.DriverHomeMissing));
        var empty = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = DriverHomeSnapshot.Absent("overlay2") with { Home = new DirectoryListing.Listed(default) } });
        Assert.Equal(Seq1($"overlay2/ is empty but {Db} names layers and mounts"), empty.Problems.Filter(p => p.Kind == ProblemKind.DriverHomeMissing).Map(p => p.Message));
        Assert.Empty(missing.OrphanPaths);

        var (one, of) = Base("one", "c1");
        var single = SnapshotBuilder.Empty.WithLayer(one.ToString(), of).Build();
        Assert.Equal(Seq1("the content of 1 loaded layer and 0 mounts is not there: containers cannot start and images cannot be saved or pushed"),
            Run(single, RootSnapshot.Empty("overlay2")).Problems.Filter(p => p.Kind == ProblemKind.DriverHomeMissing).Map(p => p.Consequence));
        // Nothing in the layerdb (not even skipped entries): nothing to miss.
        Assert.Empty(Run(SnapshotBuilder.Empty.Build(), RootSnapshot.Empty("overlay2")).Problems);
        // Only a skipped mount still names content.
        var onlyMount = SnapshotBuilder.Empty.WithMount("m", Map(("mount-id", T("x")))).Build();
        Assert.Contains(Run(onlyMount, RootSnapshot.Empty("overlay2")).Problems, p => p.Kind == ProblemKind.DriverHomeMissing);
        var (bad, bf) = Base("bad", "c");
        var onlySkipped = SnapshotBuilder.Empty.WithLayer(bad.ToString(), bf.AddOrUpdate("size", T("x"))).Build();
        Assert.Contains(Run(onlySkipped, RootSnapshot.Empty("overlay2")).Problems, p => p.Kind == ProblemKind.DriverHomeMissing);
        // A driver whose layout is unknown is not judged.
        Assert.DoesNotContain(Run(snap, RootSnapshot.Empty("zfs"), driver: "zfs").Problems, p => p.Kind == ProblemKind.DriverHomeMissing);
        Assert.Empty(Run(snap, RootSnapshot.Empty("zfs") with { DriverHome = new DriverHomeSnapshot("zfs", Listed("graph"), default, default, default) }, driver: "zfs").OrphanPaths);
    }
}
