using System.Diagnostics;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Testing;
using static LanguageExt.Prelude;
using Xunit.Abstractions;

namespace LayerFunctional.DaemonTests;

/// <summary>
/// The containerd image store read offline against a real containerd (issue "Docker 29"): the generator's images are
/// imported with <c>ctr -n moby images import</c> (OCI layouts from <see cref="ImageArchive"/>), containers' layers made as
/// dockerd makes them (a lease named by the container, <c>&lt;id&gt;-init</c> committed on the image's top layer, <c>&lt;id&gt;</c>
/// prepared on it), containerd stopped; then <c>layerfn check</c> of the docker root must list exactly what
/// <c>ctr images ls</c>, <c>snapshots ls</c> and <c>leases ls</c> listed, with no finding, and each fault made on a copy (a blob
/// file removed, a snapshot folder removed, the snapshotter's records of the containers lost, a folder no record names) is
/// found where it lies.
/// </summary>
public class ContainerdStoreTests(ITestOutputHelper output)
{
    private const string Blobs = "containerd/daemon/io.containerd.content.v1.content/blobs/sha256/";
    private const string SnapshotterDir = "containerd/daemon/io.containerd.snapshotter.v1.overlayfs";
    private const string Records = "containerd/daemon/io.containerd.metadata.v1.bolt/meta.db:v1/moby/snapshots/overlayfs/";
    private static readonly MobyVersion Moby = MobyVersion.Parse("29.0").IfLeft(e => throw new InvalidOperationException(e));

    private static CheckReport Check(string root) =>
        Checker.Check(new CheckOptions(root, Moby, None)).IfLeft(e => throw new InvalidOperationException(e));

    private static Seq<(string Kind, string Path)> Findings(CheckReport report) =>
        report.Problems.Map(p => (p.Kind.Id(), p.Path)).OrderBy(p => p.Item2, StringComparer.Ordinal).ToSeq().Strict();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // `ctr snapshots ls`: KEY, PARENT (may be empty), KIND.
    private static Seq<(string Key, Option<string> Parent, string Kind)> SnapshotsOf(string listing) =>
        Lines(listing).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => f.Length == 3 ? (f[0], Some(f[1]), f[2]) : (f[0], Option<string>.None, f[1]))
            .OrderBy(s => s.Item1, StringComparer.Ordinal).ToSeq().Strict();

    private static void Copy(string from, string to)
    {
        using var cp = Process.Start("cp", ["-a", from, to]);
        cp.WaitForExit();
        Assert.Equal(0, cp.ExitCode);
    }

    // The n-th image of the model, archived as an OCI layout and imported into Docker's namespace.
    private static void Import(Containerd containerd, GeneratedRoot model, int n, string work)
    {
        var archive = Path.Combine(work, $"{n}.tar");
        File.WriteAllBytes(archive, ImageArchive.OciLayout(model, model.Images[n], ImageArchive.NameOf(n)).IfLeft(e => throw new InvalidOperationException(e)));
        containerd.Must("images", "import", "--snapshotter", "overlayfs", archive);
    }

    private static string[] Folders(string docker) =>
        Directory.GetDirectories(Path.Combine(docker, SnapshotterDir, "snapshots")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [ContainerdFact]
    public void A_store_built_by_containerd_is_listed_as_ctr_lists_it_and_each_fault_is_found_where_it_lies()
    {
        var model = RootGenerator.Generate(17, new GeneratorOptions(Layers: 9, Mounts: 0, Images: 3));
        var work = Directory.CreateTempSubdirectory("lfc-").FullName;
        try
        {
            var docker = Path.Combine(work, "docker");
            // Two containers as dockerd 29 writes them (config.v2.json with the snapshotter as their driver).
            var configs = RootGenerator.Generate(3, new GeneratorOptions(Layers: 2, Mounts: 2, Images: 1));
            var containers = configs.Mounts.Map(m => m.Name.Value).ToArray();
            foreach (var id in containers)
            {
                var config = System.Text.Encoding.UTF8.GetString(configs.FileAt($"containers/{id}/config.v2.json").IfNone([]));
                Directory.CreateDirectory(Path.Combine(docker, "containers", id));
                File.WriteAllText(Path.Combine(docker, "containers", id, "config.v2.json"), config.Replace("\"Driver\":\"overlay2\"", "\"Driver\":\"overlayfs\"", StringComparison.Ordinal));
            }
            string images, snapshots, leases;
            string[] imageFolders, allFolders;
            using (var containerd = new Containerd(Path.Combine(docker, "containerd", "daemon"), Path.Combine(work, "s")))
            {
                for (var n = 0; n < model.Images.Count; n++) Import(containerd, model, n, work);
                // containerd holds an exclusive flock on its store, which .NET's File.Copy would wait for: cp takes none.
                Copy(Path.Combine(docker, SnapshotterDir, "metadata.db"), Path.Combine(work, "images-only-metadata.db"));
                imageFolders = Folders(docker);
                // Each container as dockerd's containerd image service makes it (daemon/containerd/image_snapshot.go).
                for (var i = 0; i < containers.Length; i++)
                {
                    var id = containers[i];
                    var top = model.Images[i].Top.ToString();
                    containerd.Must("leases", "create", "--id", id);
                    containerd.Must("snapshots", "--snapshotter", "overlayfs", "prepare", id + "-init-key", top);
                    containerd.Must("snapshots", "--snapshotter", "overlayfs", "commit", id + "-init", id + "-init-key");
                    containerd.Must("snapshots", "--snapshotter", "overlayfs", "prepare", id, id + "-init");
                }
                images = containerd.Must("images", "ls", "-q");
                snapshots = containerd.Must("snapshots", "--snapshotter", "overlayfs", "ls");
                leases = containerd.Must("leases", "ls", "-q");
                allFolders = Folders(docker);
            }

            var report = Check(docker);
            var view = report.Containerd.IfNone(() => throw new Xunit.Sdk.XunitException("the containerd store was not read"));
            output.WriteLine($"{view.Images.Count} images, {view.Snapshots.Count} snapshots, {view.Blobs} blobs");
            Assert.Equal(Lines(images).Order(StringComparer.Ordinal), view.Images.Map(i => i.Name).Order(StringComparer.Ordinal));
            Assert.Equal(SnapshotsOf(snapshots), view.Snapshots.Map(s => (s.Key, s.Parent, LayerFunctional.Containerd.SnapshotKinds.Id(s.Kind))));
            Assert.Equal(Lines(leases).Order(StringComparer.Ordinal), view.Leases.Order(StringComparer.Ordinal));
            // An image's layers are unpacked into snapshots keyed by chain ID: the layers of the images' chains, and the containers'.
            var chains = new System.Collections.Generic.HashSet<ChainID>();
            foreach (var image in model.Images)
                for (var at = Some(image.Top); at.TrySome(out var c) && chains.Add(c);)
                    at = model.Layers.Find(l => l.ChainID == c).Bind(l => l.Parent);
            Assert.Equal(chains.Select(c => c.ToString()).Concat(containers).Concat(containers.Select(c => c + "-init")).Order(StringComparer.Ordinal),
                view.Snapshots.Map(s => s.Key));
            Assert.Empty(Findings(report));
            // dockerd restores both containers: each has the snapshot and the lease of its ID.
            Assert.Equal(containers.Order(StringComparer.Ordinal).Select(id => (id, ContainerFate.Restored)),
                report.Containers.Values.OrderBy(c => c.Id).Select(c => (c.Id.Value, c.Fate)));

            // which: each snapshot folder names its snapshot (an image layer by chain ID, a container's layers by its ID); a layer
            // blob names the images that need it.
            var lookup = new LookupOptions(docker, Moby, None);
            foreach (var snap in view.Snapshots)
            {
                var owner = Lookups.Which(lookup, Path.Combine(docker, $"{SnapshotterDir}/snapshots/{snap.Id.IfNone(0)}/fs")).IfLeft(e => throw new InvalidOperationException(e));
                var owns = snap.Key.StartsWith("sha256:", StringComparison.Ordinal) ? (OwnerKind.Layer, Some(snap.Key), Option<MountName>.None)
                    : snap.Key.EndsWith("-init", StringComparison.Ordinal) ? (OwnerKind.InitLayer, owner.ChainId, Some(new MountName(snap.Key[..^5])))
                    : (OwnerKind.Mount, owner.ChainId, Some(new MountName(snap.Key)));
                Assert.Equal(owns, (owner.Kind, owner.ChainId, owner.Mount));
            }
            var topLayer = model.Layers.Find(l => l.ChainID == model.Images[0].Top).IfNone(() => throw new InvalidOperationException("no top"));
            var blobOwner = Lookups.Which(lookup, Path.Combine(docker, Blobs + topLayer.DiffID.Digest.Encoded)).IfLeft(e => throw new InvalidOperationException(e));
            Assert.Equal(OwnerKind.Blob, blobOwner.Kind);
            Assert.Contains(ImageArchive.NameOf(0), blobOwner.Images);

            // A layer blob gone: the images that need it cannot be inspected or run.
            var layerBlob = Blobs + model.Layers.Find(l => l.ChainID == model.Images[0].Top).Map(l => l.DiffID.Digest.Encoded).IfNone("");
            var lostBlob = Path.Combine(work, "lost-blob");
            Copy(docker, lostBlob);
            File.Delete(Path.Combine(lostBlob, layerBlob));
            Assert.Equal(Seq1(("containerd_blob_missing", layerBlob)), Findings(Check(lostBlob)));

            // With --content, a layer blob whose bytes changed.
            var changed = Path.Combine(work, "changed-blob");
            Copy(docker, changed);
            File.AppendAllText(Path.Combine(changed, layerBlob), "x");
            Assert.Empty(Findings(Check(changed)));
            var changedReport = Checker.Check(new CheckOptions(changed, Moby, None, VerifyContent: true)).IfLeft(e => throw new InvalidOperationException(e));
            Assert.Equal(Seq1(("containerd_blob_corrupt", layerBlob)), Findings(changedReport));
            // The repair plan drops the blob's record and pulls again the images that need it.
            var digest = "sha256:" + Path.GetFileName(layerBlob);
            var needing = changedReport.Containerd.Map(v => v.ImageBlobs.Filter(d => d.Exists(x => x == digest)).Keys.Order(StringComparer.Ordinal).ToSeq()).IfNone(Empty);
            Assert.Equal(Seq1<(string, string)>(("RemoveBlob", digest)).Concat(needing.Map(n => ("PullImage", n))).ToSeq(),
                RepairPlan.ContainerdCommands(changedReport).Map(c => (c.Step.ToString(), c.Target)));
            var script = RepairPlan.Render(changedReport, changed);
            Assert.Contains($"then ctr_run ctr --address \"$CTR_ADDRESS\" --connect-timeout 5s -n moby content rm '{digest}'; fi", script, StringComparison.Ordinal);
            Assert.Contains($"ctr_run docker pull '{ImageArchive.NameOf(0)}'", script, StringComparison.Ordinal);

            // An image snapshot's folder gone.
            var folder = $"{SnapshotterDir}/snapshots/{imageFolders[0]}";
            var lostFolder = Path.Combine(work, "lost-folder");
            Copy(docker, lostFolder);
            Directory.Delete(Path.Combine(lostFolder, folder), recursive: true);
            Assert.Equal(Seq1(("containerd_snapshot_dir_missing", folder)), Findings(Check(lostFolder)));

            // The snapshotter's own records from before the containers: their four snapshots have no record behind them, and the
            // four folders made for them no record naming them.
            var lostRecords = Path.Combine(work, "lost-records");
            Copy(docker, lostRecords);
            File.Copy(Path.Combine(work, "images-only-metadata.db"), Path.Combine(lostRecords, SnapshotterDir, "metadata.db"), overwrite: true);
            var expected = containers.SelectMany(id => new[] { ("containerd_snapshot_missing", Records + id), ("containerd_snapshot_missing", Records + id + "-init") })
                .Concat(allFolders.Except(imageFolders).Select(f => ("containerd_orphan_snapshot_dir", $"{SnapshotterDir}/snapshots/{f}")))
                .OrderBy(p => p.Item2, StringComparer.Ordinal).ToSeq();
            Assert.Equal(8, expected.Count);
            Assert.Equal(expected, Findings(Check(lostRecords)));

            // A folder no record names.
            var stray = Path.Combine(work, "stray");
            Copy(docker, stray);
            Directory.CreateDirectory(Path.Combine(stray, SnapshotterDir, "snapshots", "9999", "fs"));
            var strayReport = Check(stray);
            Assert.Equal(Seq1(("containerd_orphan_snapshot_dir", $"{SnapshotterDir}/snapshots/9999")), Findings(strayReport));
            // The clean-up plan removes it, and nothing else: the store checks clean after it.
            Assert.Equal(Seq1($"{SnapshotterDir}/snapshots/9999"), strayReport.Cleanup.Map(c => c.Path));
            var (code, planOutput) = PlanShell.Run(PlanShell.Armed(CleanupPlan.Render(strayReport, stray)), work);
            Assert.True(code == 0, planOutput);
            Assert.Empty(Findings(Check(stray)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [ContainerdFact]
    public void Both_stores_are_on_one_page_with_the_images_only_the_hidden_one_has()
    {
        // A host upgraded to 29: its overlay2 store holds three images, its containerd store two of them.
        var model = RootGenerator.Generate(17, new GeneratorOptions(Layers: 9, Mounts: 0, Images: 3));
        var work = Directory.CreateTempSubdirectory("lfc-").FullName;
        try
        {
            var docker = Path.Combine(work, "docker");
            RootWriter.Write(docker, model).IfLeft(e => throw new InvalidOperationException(e));
            using (var containerd = new Containerd(Path.Combine(docker, "containerd", "daemon"), Path.Combine(work, "s")))
                for (var n = 0; n < 2; n++) Import(containerd, model, n, work);
            Seq<(string, string, bool, Seq<string>)> Stores(CheckReport r) =>
                r.ImageStores.Map(x => (x.Kind.ToString(), x.Where, x.Shown, x.Images.Map(i => i.ConfigDigest))).Strict();
            var all = model.Images.Map(i => i.Id).Order(StringComparer.Ordinal).ToSeq();
            var imported = Seq(model.Images[0].Id, model.Images[1].Id).Order(StringComparer.Ordinal).ToSeq();

            // 29.0 keeps the overlay2 store it finds (prior state): the containerd store is the hidden one, and holds nothing more.
            var graph = Check(docker);
            Assert.Equal(Seq(("GraphDriver", "image/overlay2/layerdb", true, all), ("Containerd", "containerd/daemon", false, imported)), Stores(graph));
            Assert.Empty(ImageStores.OnlyInHidden(graph.ImageStores));

            // With the containerd snapshotter feature on, the overlay2 store is hidden, and its third image is only there.
            var config = Drivers.DaemonConfig.Parse("""{"features":{"containerd-snapshotter":true}}"""u8.ToArray()).IfLeft(e => throw new InvalidOperationException(e));
            var switched = Checker.Check(new CheckOptions(docker, Moby, None) { DaemonConfig = config }).IfLeft(e => throw new InvalidOperationException(e));
            Assert.Equal(Seq(("Containerd", "containerd/daemon", true, imported), ("GraphDriver", "image/overlay2/layerdb", false, all)), Stores(switched));
            Assert.Equal(Seq1(model.Images[2].Id), ImageStores.OnlyInHidden(switched.ImageStores).Map(x => x.Image.ConfigDigest));
            Assert.Equal(Seq1("docker.io/library/layerfn-gen0:latest"),
                switched.ImageStores.Head.Images.Find(i => i.ConfigDigest == model.Images[0].Id).Map(i => i.Names).IfNone(Empty));

            // features.containerd-migration under the threshold: dockerd switches, but the containerd store holds images already,
            // so the overlay2 images are not copied and are visible in neither store.
            var migrate = Drivers.DaemonConfig.Parse("""{"features":{"containerd-migration":true}}"""u8.ToArray()).IfLeft(e => throw new InvalidOperationException(e));
            var migrating = Checker.Check(new CheckOptions(docker, Moby, None) { DaemonConfig = migrate, MigrationThreshold = Some("1G") })
                .IfLeft(e => throw new InvalidOperationException(e));
            Assert.Equal(Seq1(("containerd_migration_hides_images", "containerd/daemon/io.containerd.metadata.v1.bolt/meta.db")), Findings(migrating));
            Assert.Equal(Some(2), migrating.Migration.Map(m => ((Drivers.MigrationForecast.Switches)m).ContainerdImages));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
