using System.Diagnostics;
using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>
/// The graph driver's folders against the IDs the layerdb names (layer-store.md §6.6): missing cache, mount and init folders,
/// orphans, folders still named by lower chains, BuildKit folders, a missing or empty driver home, cache IDs that are paths and
/// other drivers' layouts; on in-memory roots with exact problems, and on generated roots written to disk (each kind's own
/// fault is in <see cref="LayerFunctional.Tests.Core.Generation.CorruptersTests"/>).
/// </summary>
public class DriverFolderChecksTests : RootChecksFixture
{
    /// <summary>A leaf layer with a parent that no image or mount uses, a parent whose only user is that leaf, and the one
    /// container mount.</summary>
    private sealed record Scene(GeneratedRoot Root, GeneratedLayer Leaf, GeneratedLayer Parent, GeneratedMount Mount);

    private static readonly Scene S = FindScene();

    private static Scene FindScene()
    {
        for (var seed = 1; seed < 500; seed++)
        {
            var root = RootGenerator.Generate(seed, new GeneratorOptions(Layers: 8, Mounts: 1, Images: 1));
            var used = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            foreach (var top in root.Images.Map(i => i.Top).Concat(root.Mounts.Map(m => m.Parent)))
                for (Option<ChainID> at = Some(top); at.Case is ChainID c; at = root.Layers.Find(l => l.ChainID == c).Bind(l => l.Parent))
                    used.Add(c.ToString());
            int Children(ChainID c) => root.Layers.Count(l => l.Parent == Some(c));
            foreach (var leaf in root.Layers)
            {
                if (leaf.Parent.Case is not ChainID p || used.Contains(leaf.ChainID.ToString()) || Children(leaf.ChainID) > 0) continue;
                var parent = root.Layers.Find(l => l.ChainID == p).IfNone(() => throw new InvalidOperationException());
                if (used.Contains(p.ToString()) || Children(p) != 1) continue;
                return new Scene(root, leaf, parent, root.Mounts.Head);
            }
        }
        throw new InvalidOperationException("no seed below 500 gives the scene");
    }

    private static string Folder(GeneratedLayer l) => $"{Db}/sha256/{l.ChainID.Digest.Encoded}";
    private static string Other(string seed) => "sha256:" + Digest.Sha256Of(Encoding.ASCII.GetBytes(seed)).Encoded;

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) || FileTypes.OfLink(path) == FileType.Symlink) File.Delete(path);
        File.WriteAllText(path, content);
    }

    private static void Delete(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        if (Directory.Exists(path) && FileTypes.OfLink(path) == FileType.Directory) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    }

    [Fact]
    public void Driver_folders_are_checked_against_the_ids_the_layerdb_names()
    {
        var (snap, a, b, c) = DriverStore();
        var orphan = Hex("orphan");
        string[] shortLinks = ["AAA"];
        var home = Home([CacheA, "l", "backingFsBlockDev", "metacopy-check123", orphan, "stray"],
            HashMap((CacheA, Overlay("AAA", None, shortLinks))),
            HashMap(("AAA", new OverlayShortLink("../" + CacheA + "/diff", true))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        // Layer b's cache-id names no folder: its content may be any orphan, so every orphan stays out of the clean-up plan.
        var safe = new Fact.OrphanFolder(InLowerChain: false, new UnreadNamer($"image/overlay2/layerdb/{b.Digest.FolderKey}/cache-id", UnreadNamer.Reason.CacheIdDangling));
        Assert.Equal(Seq(
                Found(ProblemKind.CacheDirMissing, Severity.Error, "image/overlay2/layerdb/" + c.Digest.FolderKey + "/cache-id",
                    new Fact.CacheIdNotAFolderName(c, "overlay2"), chain: c, cache: "../../etc"),
                Found(ProblemKind.CacheDirMissing, Severity.Error, "overlay2/" + CacheB, new Fact.CacheFolderMissing(b, "overlay2"), chain: b, cache: CacheB),
                Found(ProblemKind.MountDirMissing, Severity.Error, "overlay2/" + MountId, new Fact.MountFolderMissing("overlay2"), mount: "m", cache: MountId),
                Found(ProblemKind.InitDirMissing, Severity.Error, "overlay2/" + MountId + "-init", new Fact.InitFolderMissing("overlay2"), mount: "m", cache: MountId + "-init"),
                Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + orphan, safe, cache: orphan),
                Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/stray", safe, cache: "stray")),
            r.Problems.Filter(p => p.Kind != ProblemKind.TarSplitMissing));
        Assert.Empty(r.OrphanPaths);
        Assert.Empty(r.Cleanup);
        Assert.False(r.DaemonRefuses);
    }

    [Fact]
    public void A_mount_s_folder_named_only_by_its_other_id_is_unregistered_never_an_orphan_nor_in_the_cleanup()
    {
        var (a, af) = Base("a", CacheA);
        var rw1 = Hex("rw1");
        var rw2 = Hex("rw2");
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            // mount-id lost: the read-write folder rw1 is named by init-id "rw1-init" only.
            .WithMount("c1", Map(("init-id", T(rw1 + "-init")), ("parent", T(a.ToString()))))
            // init-id damaged: the init folder rw2-init is named by mount-id "rw2" only.
            .WithMount("c2", Map(("mount-id", T(rw2)), ("init-id", T("")), ("parent", T(a.ToString()))))
            .Build();
        var stray = Hex("stray");
        var home = Home([CacheA, rw1, rw1 + "-init", rw2, rw2 + "-init", stray]);
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        const string mounts = "image/overlay2/layerdb/mounts/";
        Assert.Equal(Seq(
                Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + stray, new Fact.OrphanFolder(InLowerChain: false), cache: stray),
                Found(ProblemKind.UnregisteredDriverDir, Severity.Warning, "overlay2/" + rw1, new Fact.UnregisteredFolder(mounts + "c1/init-id"), mount: "c1", cache: rw1),
                Found(ProblemKind.UnregisteredDriverDir, Severity.Warning, "overlay2/" + rw2 + "-init", new Fact.UnregisteredFolder(mounts + "c2/mount-id"), mount: "c2", cache: rw2 + "-init"))
                .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            r.Problems.Filter(p => p.Kind is ProblemKind.OrphanDriverDir or ProblemKind.UnregisteredDriverDir).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        Assert.Equal(Seq1("overlay2/" + stray), r.OrphanPaths);
        Assert.Equal(Seq1("overlay2/" + stray), r.Cleanup.Map(c => c.Path));
    }

    [Fact]
    public void While_a_layerdb_file_that_may_name_a_folder_cannot_be_read_orphans_stay_out_of_the_cleanup()
    {
        var (a, af) = Base("a", CacheA);
        var stray = Hex("stray");
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            .WithMount("c4", Map(("mount-id", (RawFile)new RawFile.Unreadable("permission denied")), ("init-id", T(Hex("rw4") + "-init")),
                ("parent", T(a.ToString()))))
            .Build();
        var home = Home([CacheA, stray]);
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        var namer = new UnreadNamer("image/overlay2/layerdb/mounts/c4/mount-id", UnreadNamer.Reason.Unreadable);
        Assert.Equal(Seq1(Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + stray, new Fact.OrphanFolder(false, namer), cache: stray)),
            r.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir));
        Assert.Empty(r.OrphanPaths);
        Assert.Empty(r.Cleanup);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void While_a_layer_s_cache_id_is_missing_or_blank_its_content_may_be_any_orphan_so_none_is_cleaned_up(bool blank)
    {
        // The layer does not load (cache_id_missing / cache_id_invalid), but its content is in a driver folder that nothing
        // names now: deleting "orphans" would destroy what restoring the cache-id recovers.
        var (a, af) = Base("a", CacheA);
        var (b, bf) = Base("b", CacheB);
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            .WithLayer(b.ToString(), blank ? bf.AddOrUpdate("cache-id", T(" \n")) : bf.Remove("cache-id"))
            .Build();
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = Home([CacheA, CacheB]) });
        var namer = new UnreadNamer($"image/overlay2/layerdb/sha256/{b.Digest.Encoded}/cache-id", UnreadNamer.Reason.CacheIdLost);
        Assert.Equal(Seq1(Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + CacheB, new Fact.OrphanFolder(false, namer), cache: CacheB)),
            r.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir));
        Assert.Empty(r.OrphanPaths);
        Assert.Empty(r.Cleanup);
    }

    [Fact]
    public void While_a_container_has_no_mount_folder_a_folder_and_its_init_folder_stay_out_of_the_cleanup()
    {
        // The container's mount folder is gone: its read-write folder rw and init folder rw-init are named by nothing, but
        // hold its data. So may any other folder nothing names (its init folder may be gone, or its pair matched wrongly):
        // a stray folder stays too.
        var (a, af) = Base("a", CacheA);
        var (rw, stray) = (Hex("rw"), Hex("stray"));
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af).Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            DriverHome = Home([CacheA, rw, rw + "-init", stray]),
            Containers = Some(Seq1(Container("box", Cfg("box", "\"Driver\":\"overlay2\"")))),
        };
        var r = Run(snap, root);
        var kept = new Fact.OrphanFolder(false, new UnreadNamer("containers/box", UnreadNamer.Reason.ContainerWithoutMount));
        Assert.Equal(Seq(
                Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + rw, kept, cache: rw),
                Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + rw + "-init", kept, cache: rw + "-init"),
                Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + stray, kept, cache: stray))
                .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            r.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        Assert.Empty(r.OrphanPaths);
        // A container of another driver keeps its data in that driver's home: it protects nothing here.
        var aufs = root with { Containers = Some(Seq1(Container("box", Cfg("box", "\"Driver\":\"aufs\"")))) };
        Assert.Contains("overlay2/" + rw, Run(snap, aufs).OrphanPaths);
        // With its mount folder there, the container owns nothing unnamed: the pair is cleaned up like any orphan.
        var mounted = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            .WithMount("box", Map(("mount-id", T(Hex("m"))), ("parent", T(a.ToString())))).Build();
        Assert.Contains("overlay2/" + rw, Run(mounted, root with { DriverHome = Home([CacheA, Hex("m"), rw, rw + "-init"]) }).OrphanPaths);
    }

    [Fact]
    public void An_empty_layer_folder_is_a_removal_s_last_step_and_keeps_no_orphan()
    {
        var (a, af) = Base("a", CacheA);
        var stray = Hex("stray");
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af).WithLayer(Hex("gone"), Map<string, RawFile>()).Build();
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = Home([CacheA, stray]) });
        Assert.Equal(Seq1("overlay2/" + stray), r.OrphanPaths);
    }

    [Fact]
    public void Unread_namers_are_unreadable_mount_folders_and_id_files_and_layer_folders_moby_does_not_list()
    {
        var (a, af) = Base("a", CacheA);
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            .WithMount("ok", Map(("mount-id", T(Hex("m"))), ("parent", T(a.ToString()))))
            .WithMount("fifo", Map(("init-id", (RawFile)new RawFile.NotRegular("FIFO"))))
            .Build();
        var read = LayerDbRead.Of(snap, V29) with
        {
            Sha256 = new DirectoryListing.Listed(Seq(new DirectoryEntry("ABCDEF", EntryType.Directory), new DirectoryEntry("notes.txt", EntryType.File),
                new DirectoryEntry(Hex("x") + "-1234-removing", EntryType.Directory), new DirectoryEntry(Hex("link"), EntryType.Symlink))),
        };
        const string db = "image/overlay2/layerdb";
        Assert.Equal(Seq(new UnreadNamer(db + "/mounts/fifo/init-id", UnreadNamer.Reason.Unreadable),
                new UnreadNamer(db + "/sha256/" + Hex("link"), UnreadNamer.Reason.NotListed),
                new UnreadNamer(db + "/sha256/ABCDEF", UnreadNamer.Reason.NotListed))
                .OrderBy(n => n.Path, StringComparer.Ordinal).ToSeq(),
            DriverFolderChecks.UnreadNamers(read));
    }

    [Fact]
    public void A_sound_mount_s_ids_name_its_folders_themselves_so_the_other_id_protects_nothing()
    {
        // moby accepts an init ID that is not <mount ID>-init: then <init ID without -init> is no folder of this mount.
        var (a, af) = Base("a", CacheA);
        var (mount, other) = (Hex("z"), Hex("x"));
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            .WithMount("c3", Map(("mount-id", T(mount)), ("init-id", T(other + "-init")), ("parent", T(a.ToString()))))
            .Build();
        var home = Home([CacheA, mount, other + "-init", other, mount + "-init"]);
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        Assert.Empty(r.Problems.Filter(p => p.Kind == ProblemKind.UnregisteredDriverDir));
        Assert.Equal(Seq("overlay2/" + other, "overlay2/" + mount + "-init").OrderBy(p => p, StringComparer.Ordinal).ToSeq(), r.OrphanPaths);
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
        string[] shortLinks = ["AAA", "BBB", "UUU"];
        var home = Home([CacheA, CacheB, MountId, MountId + "-init", used],
            HashMap((CacheB, Overlay("BBB", "l/UUU:l/AAA", shortLinks)),
                (CacheA, Overlay("AAA", None, shortLinks)),
                (used, Overlay("UUU", None, shortLinks))),
            HashMap(("AAA", new OverlayShortLink("../" + CacheA + "/diff", true)), ("BBB", new OverlayShortLink("../" + CacheB + "/diff", true)),
                ("UUU", new OverlayShortLink("../" + used + "/diff", true))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        Assert.Equal(Seq1(Found(ProblemKind.OrphanDriverDir, Severity.Warning, "overlay2/" + used, new Fact.OrphanFolder(InLowerChain: true), cache: used)),
            r.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir));
        Assert.Empty(r.OrphanPaths);
        Assert.Empty(r.Cleanup);
        // A link whose target is not "../<folder>/..." names no folder.
        var odd = home with { ShortLinks = home.ShortLinks.SetItem("UUU", new OverlayShortLink("/abs/" + used + "/diff", true)) };
        Assert.Equal(Seq1("overlay2/" + used), Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = odd }).OrphanPaths);
    }

    [Fact]
    public void An_empty_or_missing_driver_home_is_reported_when_the_layerdb_names_content()
    {
        var (snap, _, _, _) = DriverStore();
        var missing = Run(snap, RootSnapshot.Empty("overlay2"));
        Assert.Equal(Seq1(Found(ProblemKind.DriverHomeMissing, Severity.Error, "overlay2", new Fact.DriverHomeMissing(Empty: false, Db, 3, 1))),
            missing.Problems.Filter(p => p.Kind == ProblemKind.DriverHomeMissing));
        var empty = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = DriverHomeSnapshot.Absent("overlay2") with { Home = new DirectoryListing.Listed(default) } });
        Assert.Equal(Seq1<Fact>(new Fact.DriverHomeMissing(Empty: true, Db, 3, 1)), empty.Problems.Filter(p => p.Kind == ProblemKind.DriverHomeMissing).Map(p => p.Fact));
        Assert.Empty(missing.OrphanPaths);

        var (one, of) = Base("one", "c1");
        var single = SnapshotBuilder.Empty.WithLayer(one.ToString(), of).Build();
        Assert.Equal(Seq1<Fact>(new Fact.DriverHomeMissing(Empty: false, Db, 1, 0)),
            Run(single, RootSnapshot.Empty("overlay2")).Problems.Filter(p => p.Kind == ProblemKind.DriverHomeMissing).Map(p => p.Fact));
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
        // "plain" names no folder: that layer's content may be zzz, which stays out of the clean-up plan.
        Assert.Empty(r.OrphanPaths);
        Assert.Equal(Some(new UnreadNamer(Db + "/" + Layer("lplain").Chain.Digest.FolderKey + "/cache-id", UnreadNamer.Reason.CacheIdDangling)),
            r.Problems.Find(p => p.Path == "overlay2/zzz").Bind(p => p.Fact is Fact.OrphanFolder o ? o.UnreadNamer : None));
    }

    [Theory]
    [InlineData("vfs", "vfs/dir/", "vfs/dir/")]
    [InlineData("btrfs", "btrfs/subvolumes/", "btrfs/subvolumes/")]
    [InlineData("aufs", "aufs/diff/", "aufs/layers/")]   // aufs's Exists is Lstat(layers/<id>)
    public void Other_drivers_find_missing_content_and_orphans_in_their_own_layout(string driver, string idFolder, string existenceFolder)
    {
        using var dir = new TempDir();
        var layer = LayerFunctional.Generation.LayerTar.Build(Seq1(new LayerFunctional.Generation.TarMember("f", Some("x"u8.ToArray()))));
        var hex = layer.DiffID.Digest.Encoded;
        DiskRoot.WriteLayer(dir.Path, driver, hex, layer.DiffID.ToString(), "1", "present", null);
        File.WriteAllBytes(Path.Combine(dir.Path, $"image/{driver}/layerdb/sha256/{hex}/tar-split.json.gz"), layer.TarSplitGzip());
        var second = LayerFunctional.Generation.LayerTar.Build(Seq1(new LayerFunctional.Generation.TarMember("g", Some("y"u8.ToArray()))));
        DiskRoot.WriteLayer(dir.Path, driver, second.DiffID.Digest.Encoded, second.DiffID.ToString(), "1", "absent", null);
        File.WriteAllBytes(Path.Combine(dir.Path, $"image/{driver}/layerdb/sha256/{second.DiffID.Digest.Encoded}/tar-split.json.gz"), second.TarSplitGzip());
        DiskRoot.WriteFile(dir.Path, idFolder + "present/f", "x");
        DiskRoot.WriteFile(dir.Path, idFolder + "stray/f", "xyz");
        if (driver == "aufs")
        {
            DiskRoot.WriteFile(dir.Path, "aufs/layers/present", "");
            Directory.CreateDirectory(Path.Combine(dir.Path, "aufs/mnt/present"));
        }
        var moby = driver == "aufs" ? "20.10" : "29.0";
        var r = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), Some(new DriverName(driver))))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(
            Seq((ProblemKind.CacheDirMissing.Id(), existenceFolder + "absent"), (ProblemKind.OrphanDriverDir.Id(), idFolder + "stray"))
                .OrderBy(p => p.Item2, StringComparer.Ordinal).ToSeq(),
            r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Equal(3, r.OrphanBytes);
    }

    [Fact]
    public void The_healthy_scene_has_no_problem()
    {
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, S.Root).IfLeft(e => throw new InvalidOperationException(e));
        var r = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Empty(r.Problems);
        Assert.Equal(S.Root.Layers.Count, r.Store.Layers.Count);
    }

    [Fact]
    public void A_folder_the_lower_files_above_place_as_a_layer_whose_cache_id_is_lost_is_unregistered_and_never_planned_for_removal()
    {
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, S.Root).IfLeft(e => throw new InvalidOperationException(e));
        Delete(dir.Path, Folder(S.Parent) + "/cache-id");   // the leaf still mounts through the parent's folder
        var r = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        // Every folder above the parent (layers on it, and init folders of mounts on them) places it; the first by path is named.
        bool Above(Option<ChainID> at)
        {
            for (; at.Case is ChainID c; at = S.Root.Layers.Find(l => l.ChainID == c).Bind(l => l.Parent))
                if (c == S.Parent.ChainID) return true;
            return false;
        }
        var lowerFile = S.Root.Layers.Filter(l => l.ChainID != S.Parent.ChainID && Above(Some(l.ChainID))).Map(l => l.CacheID)
            .Concat(S.Root.Mounts.Filter(m => Above(Some(m.Parent))).Map(m => m.InitID))
            .Map(id => $"overlay2/{id}/lower").Order(StringComparer.Ordinal).First();
        var unregistered = r.Problems.Filter(p => p.Kind is ProblemKind.UnregisteredDriverDir or ProblemKind.OrphanDriverDir).ToList();
        Assert.Equal(
            new[] { Found(ProblemKind.UnregisteredDriverDir, Severity.Warning, "overlay2/" + S.Parent.CacheID,
                new Fact.LayerFolderUnregistered(S.Parent.ChainID, Folder(S.Parent) + "/cache-id", lowerFile), chain: S.Parent.ChainID, cache: S.Parent.CacheID)
                with { CausedBy = new ProblemCause(ProblemKind.CacheIdMissing, Folder(S.Parent) + "/cache-id") } },
            unregistered);
        Assert.Empty(r.Cleanup);
        Assert.Equal(Seq1(new RepairAction(RepairStep.WriteCacheId, Folder(S.Parent) + "/cache-id", S.Parent.CacheID, ProblemKind.UnregisteredDriverDir,
                "overlay2/" + S.Parent.CacheID) { Requires = Some("overlay2/" + S.Parent.CacheID) }),
            r.Repairs.Filter(a => a.Step == RepairStep.WriteCacheId));
    }

    [Fact]
    public void BuildKit_snapshot_folders_are_not_orphans_when_buildkit_state_exists()
    {
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, S.Root).IfLeft(e => throw new InvalidOperationException(e));
        Write(dir.Path, "overlay2/k3x9q2m8w1v7b4n6p0z5r2t8y/diff/cache", "x");
        var without = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(Seq1(("orphan_driver_dir", "overlay2/k3x9q2m8w1v7b4n6p0z5r2t8y")), without.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Write(dir.Path, "buildkit/snapshots.db", "bolt");
        var with = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Empty(with.Problems);
        Assert.Empty(with.Cleanup);
    }

    [Fact]
    public void Orphan_size_counts_hard_linked_files_once()
    {
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, S.Root).IfLeft(e => throw new InvalidOperationException(e));
        Write(dir.Path, "overlay2/" + Other("hl")[7..] + "/diff/a", new string('a', 1000));
        using (var ln = Process.Start("ln", [Path.Combine(dir.Path, "overlay2", Other("hl")[7..], "diff", "a"), Path.Combine(dir.Path, "overlay2", Other("hl")[7..], "diff", "b")]))
            ln.WaitForExit();
        var r = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(1000, r.OrphanBytes);
    }
}
