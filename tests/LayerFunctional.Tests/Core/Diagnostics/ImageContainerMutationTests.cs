using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Mutation;

/// <summary>Images (§4.7), containers (§7.3), what a failing layer costs them, and leftover clean-up (§1.4, §1.8).</summary>
public class ImageContainerMutationTests
{
    private const string Db = "image/overlay2/layerdb";
    private const string ImageDb = "image/overlay2/imagedb/content/sha256/";
    private static readonly MobyVersion V29 = MobyVersion.Default;

    private static MobyVersion V(string v) => MobyVersion.Parse(v).IfLeft(e => throw new ArgumentException(e));

    private static RawFile T(string s) => SnapshotBuilder.Text(s);

    // A config.v2.json moby restores: its folder's ID, a Config object, then the given fields.
    private static string Cfg(string id, string fields) => "{\"ID\":\"" + id + "\",\"Config\":{}," + fields + "}";

    private static (ChainID Chain, DiffID Diff, Map<string, RawFile> Files) Layer(string name, ChainID? parent = null, string size = "1")
    {
        var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(name)));
        var p = parent is null ? Option<ChainID>.None : Some(parent);
        var files = Map(("diff", T(diff.ToString())), ("size", T(size)), ("cache-id", T(CacheOf(name))));
        if (parent is not null) files = files.Add("parent", T(parent.ToString()));
        return (ChainID.Compute(p, diff), diff, files);
    }

    // 64 hex, so that releases before 18.06 load it too.
    private static string CacheOf(string name) => Digest.Sha256Of(Encoding.ASCII.GetBytes("c-" + name)).Encoded;

    private static ImageConfigFile Image(params DiffID[] diffs)
    {
        var bytes = Encoding.UTF8.GetBytes($"{{\"rootfs\":{{\"diff_ids\":[{string.Join(",", diffs.Select(d => $"\"{d}\""))}]}}}}");
        return new ImageConfigFile(Digest.Sha256Of(bytes).Encoded, new RawFile.Content(bytes));
    }

    private static ContainerFolderRead Container(string id, string json) => ContainerFolderRead.Of(new(id, Some(T(json))));

    private sealed record Store(LayerDbSnapshot Snap, ChainID A, ChainID B, ChainID C, DiffID DA, DiffID DB, DiffID DC);

    /// <summary>a loads; b has a bad size; c sits on b. Mount m on c, mount n on a, mount o on b.</summary>
    private static Store Build()
    {
        var a = Layer("a");
        var b = Layer("b", size: "x");
        var c = Layer("c", b.Chain);
        var snap = SnapshotBuilder.Empty.WithLayer(a.Chain.ToString(), a.Files).WithLayer(b.Chain.ToString(), b.Files).WithLayer(c.Chain.ToString(), c.Files)
            .WithMount("m", Map(("mount-id", T(new string('1', 64))), ("parent", T(c.Chain.ToString()))))
            .WithMount("n", Map(("mount-id", T(new string('2', 64))), ("parent", T(a.Chain.ToString()))))
            .WithMount("o", Map(("mount-id", T(new string('3', 64))), ("parent", T(b.Chain.ToString()))))
            .Build();
        return new Store(snap, a.Chain, b.Chain, c.Chain, a.Diff, b.Diff, c.Diff);
    }

    [Fact]
    public void Images_load_when_their_top_layer_loads()
    {
        var s = Build();
        var ok = Image(s.DA);
        var onC = Image(s.DA, s.DC);
        var onB = Image(s.DB);
        var none = Image();
        var garbage = new ImageConfigFile(Digest.Sha256Of("["u8).Encoded, new RawFile.Content("["u8.ToArray()));
        var wrongHash = new ImageConfigFile(new string('e', 64), T("{}"));
        var unreadable = new ImageConfigFile(new string('d', 64), new RawFile.Unreadable("EACCES"));
        var badName = new ImageConfigFile("not-a-digest", T("{}"));
        var root = RootSnapshot.Empty("overlay2") with { ImageConfigs = Some(Seq(ok, onC, onB, none, garbage, wrongHash, unreadable, badName)) };
        var load = LayerStoreLoad.Load(s.Snap, V29);
        var r = RootChecks.Run(V29, "overlay2", s.Snap, load, root);

        var topC = ChainID.Compute(Some(ChainID.Compute(None, s.DA)), s.DC);
        var expectedImages = new[]
        {
            new ImageInfo("sha256:" + ok.Name, Some(s.A), true), new ImageInfo("sha256:" + onC.Name, Some(topC), false),
            new ImageInfo("sha256:" + onB.Name, Some(s.B), false), new ImageInfo("sha256:" + none.Name, None, true),
            new ImageInfo("sha256:" + garbage.Name, None, false), new ImageInfo("sha256:" + wrongHash.Name, None, false),
            new ImageInfo("sha256:" + unreadable.Name, None, false),
        }.OrderBy(i => i.Id, StringComparer.Ordinal).ToSeq();
        Assert.Equal(expectedImages, r.Images);
        Assert.Equal(HashMap((s.A.ToString(), 1)), r.ImageRefs);
        Assert.False(r.DaemonRefuses);

        Problem Invalid(ImageConfigFile f, string message) => new(ProblemKind.ImageConfigInvalid, Severity.Error, ImageDb + f.Name, None, None, None, message,
            $"moby skips image {f.Name[..12]} at start-up (error log 'invalid image')");
        Problem Missing(ImageConfigFile f, ChainID top) => new(ProblemKind.ImageLayerMissing, Severity.Error, ImageDb + f.Name, Some(top.ToString()), None, None,
            $"top layer {top} of image {f.Name[..12]} is not among the loaded layers",
            $"moby skips image {f.Name[..12]} ('not restoring image'); containers of it lose their image");
        var expected = new[]
        {
            Invalid(garbage, "the image config is not valid JSON: Expected depth to be zero at the end of the JSON payload"),
            Invalid(wrongHash, "the content does not hash to the file name (moby: failed to verify)"),
            Invalid(unreadable, "the image config cannot be read"),
            Missing(onC, topC), Missing(onB, s.B),
        }.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq();
        Assert.Equal(expected, r.Problems.Filter(p => p.Kind is ProblemKind.ImageConfigInvalid or ProblemKind.ImageLayerMissing).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());

        // Before 18.03 a missing top layer stops the daemon.
        var old = RootChecks.Run(V("18.02"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("18.02")), root);
        Assert.True(old.DaemonRefuses);
        Assert.Equal(Seq1("moby before 18.03 stops at start-up: 'layer does not exist'"),
            old.Problems.Filter(p => p.Kind == ProblemKind.ImageLayerMissing).Map(p => p.Consequence).Distinct().ToSeq());
        Assert.False(RootChecks.Run(V("18.03"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("18.03")), root).DaemonRefuses);
        var onlyLoading = root with { ImageConfigs = Some(Seq(ok, none)) };
        Assert.False(RootChecks.Run(V("18.02"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("18.02")), onlyLoading).DaemonRefuses);
        Assert.Equal(HashMap((s.A.ToString(), 2)), RootChecks.Run(V29, "overlay2", s.Snap, load, root with { ImageConfigs = Some(Seq(ok, none, Image(s.DA) with { Name = ok.Name })) }).ImageRefs);
    }

    [Fact]
    public void Containers_and_mounts_are_matched_by_name()
    {
        var s = Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            Containers = Some(Seq(
                Container("m", Cfg("m", "\"Name\":\"/web\",\"Image\":\"sha256:i\",\"Driver\":\"overlay2\"")),
                Container("lost1", Cfg("lost1", "\"Name\":\"/db\",\"Driver\":\"overlay2\"")),
                Container("0123456789abcdef", Cfg("0123456789abcdef", "\"Driver\":\"overlay2\"")),
                Container("aufsbox", Cfg("aufsbox", "\"Driver\":\"aufs\"")),
                Container("blank", Cfg("blank", "\"Driver\":\"\"")),
                Container("moved", "{\"ID\":\"other\",\"Driver\":\"overlay2\"}"),
                Container("broken", "{"),
                Container("array", "[1]"),
                ContainerFolderRead.Of(new ContainerConfigFile("unread", Some((RawFile)new RawFile.Unreadable("EACCES")))),
                ContainerFolderRead.Of(new ContainerConfigFile("nocfg", None)))),
        };
        var r = RootChecks.Run(V29, "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V29), root);
        Assert.Equal(new ContainerInfo("m", Some("/web"), Some("sha256:i"), Some("overlay2")) { Fate = ContainerFate.MountNotLoaded }, r.Containers.Find("m").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("moved", None, None, Some("overlay2")) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("moved").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("broken", None, None, None) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("broken").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("array", None, None, None) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("array").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("unread", None, None, None) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("unread").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(ContainerFate.MountNotLoaded, r.Containers.Find("lost1").Map(c => c.Fate).IfNone(ContainerFate.Restored));
        Assert.Equal(10, r.Containers.Count);

        const string Drop = "moby drops the container at start-up ('failed to load container mount')";
        Problem Lost(string id, string shown) => new(ProblemKind.ContainerWithoutMount, Severity.Error, "containers/" + id, None, Some(id), None,
            $"container {shown} has no mount folder in {Db}/mounts", Drop);
        Problem Unowned(string name) => new(ProblemKind.MountWithoutContainer, Severity.Warning, Db + "/mounts/" + name, None, Some(name), None,
            "no container folder names this mount (a builder or BuildKit mount, or a removed container's)",
            "moby loads it but nothing ever releases it: its read-write and init folders are never freed");
        Assert.Equal(Seq(Unowned("n"), Unowned("o"), Lost("0123456789abcdef", "0123456789ab"), Lost("lost1", "/db")),
            r.Problems.Filter(p => p.Kind is ProblemKind.ContainerWithoutMount or ProblemKind.MountWithoutContainer));

        var onAufs = RootChecks.Run(V("20.10"), "aufs", s.Snap, LayerStoreLoad.Load(s.Snap, V("20.10")), root);
        // A config without a Driver key is an aufs container, as in moby; one that does not decode is dropped before that.
        Assert.Equal(Seq("aufsbox", "blank").Map(n => "containers/" + n),
            onAufs.Problems.Filter(p => p.Kind == ProblemKind.ContainerWithoutMount).Map(p => p.Path));
        // A config stored under another ID is skipped ("Container other is stored at moved").
        Assert.Equal(Seq("array", "broken", "moved", "nocfg", "unread").Map(n => "containers/" + n + "/config.v2.json"),
            onAufs.Problems.Filter(p => p.Kind == ProblemKind.ContainerConfigInvalid).Map(p => p.Path));
        var kept = RootChecks.Run(V("29.4"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("29.4")), root);
        Assert.Equal(Seq1("moby keeps it without a read-write layer: it can only be removed"),
            kept.Problems.Filter(p => p.Kind == ProblemKind.ContainerWithoutMount).Map(p => p.Consequence).Distinct().ToSeq());
        var shortId = RootChecks.Run(V29, "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V29), root with { Containers = Some(Seq1(Container("abc", Cfg("abc", "\"Driver\":\"overlay2\"")))) });
        Assert.Contains(shortId.Problems, p => p.Message == $"container abc has no mount folder in {Db}/mounts");
        // Without a containers folder read, mounts are not judged.
        Assert.DoesNotContain(RootChecks.Run(V29, "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V29), RootSnapshot.Empty("overlay2")).Problems,
            p => p.Kind == ProblemKind.MountWithoutContainer);
    }

    [Fact]
    public void A_root_cause_names_the_images_and_containers_it_costs()
    {
        var s = Build();
        var onC = Image(s.DA, s.DC);   // top is ChainID(a, c), no such layer: not counted
        var topB = Image(s.DB);
        var root = RootSnapshot.Empty("overlay2") with
        {
            ImageConfigs = Some(Seq(topB, Image(s.DA), onC)),
            Containers = Some(Seq(Container("m", Cfg("m", "\"Driver\":\"overlay2\"")), Container("o", Cfg("o", "\"Driver\":\"overlay2\"")))),
        };
        string Cost(string moby, RootSnapshot rs)
        {
            var v = V(moby);
            var load = LayerStoreLoad.Load(s.Snap, v);
            var checks = RootChecks.Run(v, "overlay2", s.Snap, load, rs);
            return CascadeCosts.WithImageAndContainerCosts(v, s.Snap, load, checks).Problems
                .Find(p => p.Kind == ProblemKind.SizeInvalid).Map(p => p.Consequence).IfNone("");
        }
        var b = s.B.Short;
        Assert.Equal($"moby skips layer {b}; drops 1 descendant layer and 2 mounts with it; also 1 image skipped at restore and 2 containers dropped at start-up", Cost("29.0", root));
        Assert.Equal($"moby skips layer {b}; drops 1 descendant layer and 2 mounts with it; also 1 image skipped at restore and 2 containers kept without a read-write layer", Cost("29.4", root));
        var twoImages = root with { ImageConfigs = Some(Seq(topB, Image(s.DB) with { Name = new string('f', 64) })), Containers = None };
        Assert.Equal($"moby skips layer {b}; drops 1 descendant layer and 2 mounts with it; also 1 image skipped at restore", Cost("29.0", twoImages));   // the copy does not verify
        var oneContainer = root with { ImageConfigs = None, Containers = Some(Seq1(Container("m", Cfg("m", "\"Driver\":\"overlay2\"")))) };
        Assert.Equal($"moby skips layer {b}; drops 1 descendant layer and 2 mounts with it; also 1 container dropped at start-up", Cost("29.0", oneContainer));
        var nothing = root with { ImageConfigs = Some(Seq1(Image(s.DA))), Containers = None };
        var load0 = LayerStoreLoad.Load(s.Snap, V29);
        Assert.Same(load0, CascadeCosts.WithImageAndContainerCosts(V29, s.Snap, load0, RootChecks.Run(V29, "overlay2", s.Snap, load0, nothing)));
        // Other problems are left alone.
        var full = CascadeCosts.WithImageAndContainerCosts(V29, s.Snap, load0, RootChecks.Run(V29, "overlay2", s.Snap, load0, root));
        Assert.Equal(load0.Problems.Filter(p => p.Kind != ProblemKind.SizeInvalid), full.Problems.Filter(p => p.Kind != ProblemKind.SizeInvalid));
    }

    [Fact]
    public void Costs_follow_parent_links_through_ancestors_to_the_root_cause()
    {
        // gone <- p (parent missing) <- q <- r; image on r, container on q.
        var gone = Layer("gone");
        var p = Layer("p", gone.Chain); var q = Layer("q", p.Chain); var r = Layer("r", q.Chain);
        var snap = SnapshotBuilder.Empty.WithLayer(p.Chain.ToString(), p.Files).WithLayer(q.Chain.ToString(), q.Files).WithLayer(r.Chain.ToString(), r.Files)
            .WithMount("box", Map(("mount-id", T(new string('4', 64))), ("parent", T(q.Chain.ToString()))))
            .Build();
        var img = Image(gone.Diff, p.Diff, q.Diff, r.Diff);
        var root = RootSnapshot.Empty("overlay2") with
        {
            ImageConfigs = Some(Seq1(img)),
            Containers = Some(Seq1(Container("box", Cfg("box", "\"Driver\":\"overlay2\"")))),
        };
        var load = LayerStoreLoad.Load(snap, V29);
        var checks = RootChecks.Run(V29, "overlay2", snap, load, root);
        var result = CascadeCosts.WithImageAndContainerCosts(V29, snap, load, checks);
        Assert.Equal($"moby skips layer {p.Chain.Short}; drops 2 descendant layers and 1 mount with it; also 1 image skipped at restore and 1 container dropped at start-up",
            result.Problems.Find(x => x.Kind == ProblemKind.ParentLayerMissing).Map(x => x.Consequence).IfNone(""));
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
                new CleanupItem("overlay2/lc", ProblemKind.RemovalLeftover, "driver folder named only by sha256/" + removing),
                new CleanupItem("overlay2/tc", ProblemKind.StaleTransaction, "driver folder named only by tmp/write-set-1")),
            r.Cleanup);
        // The leftovers' cache IDs keep their driver folders out of the orphans.
        Assert.Empty(r.OrphanPaths);
        // An undecidable layout never names driver folders.
        var zfs = RootChecks.Run(V29, "zfs", snap, LayerStoreLoad.Load(snap, V29), root with { DriverHome = root.DriverHome with { Driver = "zfs", IdFolders = HashMap(("graph", root.DriverHome.IdFolders.Find("").IfNone(() => throw new InvalidOperationException()))) } });
        Assert.Equal(5, zfs.Cleanup.Count);
    }

    [Fact]
    public void Cache_ids_that_are_paths_are_reported_on_their_cache_id_file_and_keep_their_base_name()
    {
        var names = new[] { ".", "..", "x\0y", "a/kept/", "plain" };
        var b = SnapshotBuilder.Empty;
        foreach (var n in names)
        {
            var l = Layer("l" + n);
            b = b.WithLayer(l.Chain.ToString(), l.Files.AddOrUpdate("cache-id", T(n)));
        }
        var snap = b.Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            DriverHome = new DriverHomeSnapshot("overlay2", new DirectoryListing.Listed(Seq1(new DirectoryEntry("x", EntryType.Directory))),
                HashMap(("", (DirectoryListing)new DirectoryListing.Listed(Seq("kept", "zzz").Map(n => new DirectoryEntry(n, EntryType.Directory))))), default, default),
        };
        var r = RootChecks.Run(V29, "overlay2", snap, LayerStoreLoad.Load(snap, V29), root);
        var pathLike = names.Where(n => n != "plain").Select(n => Db + "/" + Layer("l" + n).Chain.Digest.FolderKey + "/cache-id");
        Assert.Equal(pathLike.Append("overlay2/plain").Order(StringComparer.Ordinal),
            r.Problems.Filter(p => p.Kind == ProblemKind.CacheDirMissing).Map(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Equal(Seq1("overlay2/zzz"), r.OrphanPaths);
    }
}
