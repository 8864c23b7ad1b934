using LanguageExt;
using LayerFunctional.Containerd;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Containerd;

/// <summary><c>which</c> in the containerd store (<see cref="ContainerdOwnership"/>), on a store made by hand: an image's two
/// layers, a container's init and read-write snapshots on it, a folder no record names, and blobs.</summary>
public class ContainerdOwnershipTests
{
    private const string Root = "containerd/daemon";
    private const string Snapshots = Root + "/io.containerd.snapshotter.v1.overlayfs/snapshots/";
    private const string Blobs = Root + "/io.containerd.content.v1.content/blobs/sha256/";
    private static string D(char c) => "sha256:" + new string(c, 64);
    private static readonly string Base = D('1'), Top = D('2'), Manifest = D('a'), Config = D('b'), Stray = D('d');
    private static readonly string C = new('c', 64);

    private static ContainerdSnapshotEntry Snap(string key, Option<string> parent, ulong id, SnapshotKind kind) =>
        new(key, parent, kind) { Id = id };

    private static readonly ContainerdStoreView View = ContainerdStoreView.Empty(Root, "overlayfs") with
    {
        Images = Seq1(new ContainerdImage("x:1", Manifest, "", None)),
        Snapshots = Seq(Snap(Base, None, 1, SnapshotKind.Committed), Snap(Top, Some(Base), 2, SnapshotKind.Committed),
            Snap(C + "-init", Some(Top), 3, SnapshotKind.Committed), Snap(C, Some(C + "-init"), 4, SnapshotKind.Active)),
        Configs = HashMap(("x:1", Seq1(Config))),
        ImageTops = HashMap(("x:1", Top)),
        ImageBlobs = HashMap(("x:1", Seq(Manifest, Config, Base, Top))),
    };

    private static readonly Seq<Problem> Problems = Seq(
        new Problem(ProblemKind.ContainerdOrphanSnapshotDir, Severity.Warning, Snapshots + "9", None, None, None, new Fact.ContainerdOrphanSnapshotDir("overlayfs")),
        new Problem(ProblemKind.ContainerdBlobUnreferenced, Severity.Info, Blobs + new string('d', 64), None, None, None, new Fact.ContainerdBlobUnreferenced(Stray)));

    private static Owner Which(string query) => ContainerdOwnership.Find(View, Problems, query).IfNone(() => throw new Xunit.Sdk.XunitException("no owner of " + query));

    [Fact]
    public void A_snapshot_folder_names_its_layer_or_container_with_the_images_and_containers_on_it()
    {
        var layer = Which(Snapshots + "1/fs/etc/passwd");
        Assert.Equal((OwnerKind.Layer, Some(Base), Some("1"), Seq1("x:1"), Seq1<MountName>(C)), (layer.Kind, layer.ChainId, layer.CacheId, layer.Images, layer.Containers));
        Assert.Equal($"overlayfs snapshot of image layer {Base} (folder 1)", layer.Note);
        var init = Which(Snapshots + "3");
        Assert.Equal((OwnerKind.InitLayer, Some(Top), Some<MountName>(C), Seq1("x:1")), (init.Kind, init.ChainId, init.Mount, init.Images));
        var rw = Which(C);
        Assert.Equal((OwnerKind.Mount, Some(Top), Some("4"), $"read-write snapshot of container {C} (folder 4)"), (rw.Kind, rw.ChainId, rw.CacheId, rw.Note));
    }

    [Fact]
    public void A_folder_no_record_names_is_an_orphan_and_one_not_there_is_unknown()
    {
        Assert.Equal((OwnerKind.Orphan, "no overlayfs snapshot record names folder 9: space nothing frees"), (Which(Snapshots + "9/fs").Kind, Which(Snapshots + "9/fs").Note));
        Assert.Equal(OwnerKind.Unknown, Which(Snapshots + "77").Kind);
        Assert.True(ContainerdOwnership.Find(View, Problems, "overlay2/xyz").IsNone);
    }

    [Fact]
    public void Images_and_containers_on_a_layer_come_in_name_order_and_a_snapshot_without_folder_says_none()
    {
        var two = View with
        {
            Images = View.Images.Add(new ContainerdImage("a:1", D('f'), "", None)),
            ImageTops = View.ImageTops.Add("a:1", Top),
            Snapshots = View.Snapshots + Seq(Snap("b" + C[1..] + "-init", Some(Top), 5, SnapshotKind.Committed), Snap("b" + C[1..], Some("b" + C[1..] + "-init"), 6, SnapshotKind.Active),
                new ContainerdSnapshotEntry("loose", None, SnapshotKind.Active)),
        };
        var layer = ContainerdOwnership.Find(two, Empty, Base).IfNone(() => throw new Xunit.Sdk.XunitException("no owner"));
        Assert.Equal((Seq("a:1", "x:1"), Seq<MountName>("b" + C[1..], C)), (layer.Images, layer.Containers));
        Assert.Equal("read-write snapshot of container loose", ContainerdOwnership.Find(two, Empty, "loose").Map(o => o.Note).IfNone(""));
        Assert.Equal(Seq("a:1", "x:1"), ContainerdOwnership.Find(two, Empty, C + "-init").Map(o => o.Images).IfNone(Empty));
        Assert.Equal("init snapshot of container " + C + " (folder 3)", ContainerdOwnership.Find(two, Empty, C + "-init").Map(o => o.Note).IfNone(""));
    }

    [Fact]
    public void A_folder_or_digest_nothing_names_is_said_so()
    {
        Assert.Equal("no overlayfs snapshot of the moby namespace is in folder 77", Which(Snapshots + "77").Note);
        Assert.True(ContainerdOwnership.Find(View, Problems, D('7')).IsNone);
        Assert.Equal($"blob {D('7')}: no image needs it", Which(Blobs + new string('7', 64)).Note);
        Assert.Equal($"blob {Base}: the manifest or layer of 1 image(s)", ContainerdOwnership.Find(View, Problems, Blobs + new string('1', 64)).Map(o => o.Note).IfNone(""));
    }

    [Fact]
    public void A_blob_names_the_images_that_need_it_and_its_role()
    {
        Assert.Equal((OwnerKind.Blob, Seq1("x:1"), $"blob {Config}: the config of 1 image(s)"),
            (Which(Blobs + new string('b', 64)).Kind, Which(Blobs + new string('b', 64)).Images, Which(Blobs + new string('b', 64)).Note));
        Assert.Equal($"blob {Manifest}: the target (manifest or index) of 1 image(s)", Which(Manifest).Note);
        Assert.Equal($"blob {Stray}: held by nothing, garbage collection deletes it", Which(Blobs + new string('d', 64)).Note);
    }
}

/// <summary>The containerd store's repair (<see cref="ContainerdRepairs"/>): broken image-layer snapshots removed children first
/// and their images pulled again, a broken blob's record removed and its images pulled again, and nothing under a container's
/// layer touched.</summary>
public class ContainerdRepairsTests
{
    private const string Root = "containerd/daemon";
    private static string D(char c) => "sha256:" + new string(c, 64);
    private static readonly string Base = D('1'), Mid = D('2'), Top = D('3'), Other = D('4'), Manifest = D('a');
    private static readonly string C = new('c', 64);

    private static readonly ContainerdStoreView View = ContainerdStoreView.Empty(Root, "overlayfs") with
    {
        Images = Seq(new ContainerdImage("x:1", Manifest, "", None), new ContainerdImage("y:1", D('b'), "", None)),
        Snapshots = Seq(new ContainerdSnapshotEntry(Base, None, SnapshotKind.Committed), new ContainerdSnapshotEntry(Mid, Some(Base), SnapshotKind.Committed),
            new ContainerdSnapshotEntry(Top, Some(Mid), SnapshotKind.Committed), new ContainerdSnapshotEntry(Other, None, SnapshotKind.Committed),
            new ContainerdSnapshotEntry(C + "-init", Some(Other), SnapshotKind.Committed), new ContainerdSnapshotEntry(C, Some(C + "-init"), SnapshotKind.Active)),
        ImageTops = HashMap(("x:1", Top), ("y:1", Other)),
        ImageBlobs = HashMap(("x:1", Seq(Manifest, D('e'))), ("y:1", Seq(D('b'), D('e')))),
        BlobSizes = HashMap((Manifest, Some(1L)), (D('e'), Some(2L)), (D('b'), Some(3L))),
    };

    private static Problem DirMissing(string key, string folder) =>
        new(ProblemKind.ContainerdSnapshotDirMissing, Severity.Error, Root + "/io.containerd.snapshotter.v1.overlayfs/snapshots/" + folder, None, None, None,
            new Fact.ContainerdSnapshotDirMissing(key, "overlayfs"));

    [Fact]
    public void A_broken_layer_goes_with_the_layers_above_it_children_first_and_its_images_are_pulled_again()
    {
        var why = DirMissing(Mid, "2");
        var (commands, left) = ContainerdRepairs.Plan(View, Seq1(why));
        Assert.Equal(Seq((ContainerdRepairStep.RemoveSnapshot, Top), (ContainerdRepairStep.RemoveSnapshot, Mid), (ContainerdRepairStep.PullImage, "x:1")),
            commands.Map(c => (c.Step, c.Target)));
        Assert.All(commands, c => Assert.Equal((why.Kind, why.Path), (c.Repairs, c.FindingPath)));
        Assert.Empty(left);
    }

    [Fact]
    public void A_layer_a_container_sits_on_is_left_to_the_reader()
    {
        var why = DirMissing(Other, "4");
        Assert.Equal((Seq<ContainerdRepair>(), Seq1(why)), ContainerdRepairs.Plan(View, Seq1(why)));
    }

    [Fact]
    public void A_broken_blob_loses_its_record_and_every_image_that_needs_it_is_pulled_again_once()
    {
        var corrupt = new Problem(ProblemKind.ContainerdBlobCorrupt, Severity.Error, "p1", None, None, None, new Fact.ContainerdBlobCorrupt(D('e'), Some(D('f')), 2, Some(2L)));
        var gone = new Problem(ProblemKind.ContainerdBlobMissing, Severity.Error, "p2", None, None, None, new Fact.ContainerdBlobMissing(D('9'), "x:1", RecordMissing: true));
        var (commands, _) = ContainerdRepairs.Plan(View with { ImageBlobs = View.ImageBlobs.SetItem("x:1", Seq(Manifest, D('e'), D('9'))) }, Seq(corrupt, gone));
        // The missing record cannot be removed: a pull is enough.
        Assert.Equal(Seq((ContainerdRepairStep.RemoveBlob, D('e')), (ContainerdRepairStep.PullImage, "x:1"), (ContainerdRepairStep.PullImage, "y:1")),
            commands.Map(c => (c.Step, c.Target)));
    }
}

/// <summary>The container restore with the containerd store (<see cref="ContainerdContainers"/>): a container's read-write
/// layer is the snapshot of its ID held by the lease of its ID.</summary>
public class ContainerdContainersTests
{
    private static string Id(char c) => new(c, 64);

    private static LayerFunctional.Diagnostics.ContainerFolderRead Folder(string id, string driver) =>
        LayerFunctional.Diagnostics.ContainerFolderRead.Of(new LayerFunctional.Snapshot.ContainerConfigFile(id, Some<LayerFunctional.Snapshot.RawFile>(
            new LayerFunctional.Snapshot.RawFile.Content(System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(
                LayerFunctional.Generation.RootGenerator.ContainerConfig(id, "/c-" + id[0], "docker.io/library/x:1", 1)).Replace("\"Driver\":\"overlay2\"", $"\"Driver\":\"{driver}\""))))));

    [Fact]
    public void A_container_loads_with_the_snapshot_and_the_lease_of_its_ID_on_the_snapshotter_in_use()
    {
        var view = ContainerdStoreView.Empty("containerd/daemon", "overlayfs") with
        {
            Snapshots = Seq(new ContainerdSnapshotEntry(Id('a'), None, SnapshotKind.Active), new ContainerdSnapshotEntry(Id('b'), None, SnapshotKind.Active)),
            Leases = Seq(Id('a'), Id('c')),
        };
        var result = ContainerdContainers.Restore(MobyVersion.Parse("29.1").IfLeft(e => throw new Xunit.Sdk.XunitException(e)), view,
            Some(Seq(Folder(Id('a'), "overlayfs"), Folder(Id('b'), "overlayfs"), Folder(Id('c'), "overlayfs"), Folder(Id('d'), "overlay2"))));
        Assert.Equal(Seq((Id('a'), LayerFunctional.Diagnostics.ContainerFate.Restored), (Id('b'), LayerFunctional.Diagnostics.ContainerFate.MountNotLoaded),
                (Id('c'), LayerFunctional.Diagnostics.ContainerFate.MountNotLoaded), (Id('d'), LayerFunctional.Diagnostics.ContainerFate.OtherDriver)),
            result.Containers.OrderBy(c => c.Id).Map(c => (c.Id.Value, c.Fate)).ToSeq());
        Assert.Equal(Seq(
                ("containers/" + Id('b'), (Fact)new Fact.ContainerdContainerLayerMissing("/c-b", Id('b'), "overlayfs", SnapshotMissing: false, LeaseMissing: true, Kept: false)),
                ("containers/" + Id('c'), new Fact.ContainerdContainerLayerMissing("/c-c", Id('c'), "overlayfs", SnapshotMissing: true, LeaseMissing: false, Kept: false))),
            result.Problems.Map(p => (p.Path, p.Fact)));
        Assert.All(result.Problems, p => Assert.Equal(ProblemKind.ContainerdContainerLayerMissing, p.Kind));
    }
}
