using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Edge;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>Depth limits on in-memory chains; which and --plan on real and generated roots.</summary>
public class RootChecksTests
{
    [Fact]
    public void Depth_125_is_at_the_limit_and_126_exceeds_it()
    {
        var b = SnapshotBuilder.Empty;
        Option<ChainID> parent = None;
        var chains = new List<ChainID>();
        for (var i = 0; i < 127; i++)
        {
            var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes("d" + i)));
            var chain = ChainID.Compute(parent, diff);
            var files = Map(("diff", SnapshotBuilder.Text(diff.ToString())), ("size", SnapshotBuilder.Text("1")), ("cache-id", SnapshotBuilder.Text("c" + i)));
            b = b.WithLayer(chain.ToString(), parent.Match(p => files.Add("parent", SnapshotBuilder.Text(p.ToString())), () => files));
            chains.Add(chain);
            parent = Some(chain);
        }
        var snapshot = b.Build();
        var load = LayerStoreLoad.Load(snapshot, MobyVersion.Default);
        Assert.Equal(127, load.Store.Layers.Count);   // moby loads chains of any depth
        var checks = RootChecks.Run(MobyVersion.Default, "overlay2", snapshot, load, RootSnapshot.Empty("overlay2"));
        var depth = checks.Problems.Filter(p => p.Kind is ProblemKind.LayerDepthAtLimit or ProblemKind.LayerDepthExceeded)
            .Map(p => (p.Kind, p.ChainId.IfNone(""))).OrderBy(p => p.Item1).ToSeq();
        Assert.Equal(Seq((ProblemKind.LayerDepthAtLimit, chains[124].ToString()), (ProblemKind.LayerDepthExceeded, chains[125].ToString())), depth);
        Assert.Contains("2 layers in all are deeper than the limit", checks.Problems.Find(p => p.Kind == ProblemKind.LayerDepthExceeded).Map(p => p.Message).IfNone(""));
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
        var r = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), Some(driver)))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(
            Seq((ProblemKind.CacheDirMissing.Id(), existenceFolder + "absent"), (ProblemKind.OrphanDriverDir.Id(), idFolder + "stray"))
                .OrderBy(p => p.Item2, StringComparer.Ordinal).ToSeq(),
            r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Equal(3, r.OrphanBytes);
    }

    [Fact]
    public void An_unreadable_metadata_file_is_entry_unreadable_at_its_path()
    {
        var hex = Digest.Sha256Of("u"u8).Encoded;
        var snapshot = SnapshotBuilder.Empty.WithLayer("sha256:" + hex, Map(
            ("diff", SnapshotBuilder.Text("sha256:" + hex)), ("size", (RawFile)new RawFile.Unreadable("Permission denied")), ("cache-id", SnapshotBuilder.Text("c")))).Build();
        var load = LayerStoreLoad.Load(snapshot, MobyVersion.Default);
        var p = Assert.Single(load.Problems);
        Assert.Equal((ProblemKind.EntryUnreadable, $"image/overlay2/layerdb/sha256/{hex}/size"), (p.Kind, p.Path));
        Assert.Equal("size cannot be read: Permission denied", p.Message);
        Assert.StartsWith("the check cannot read it and counts layer", p.Consequence, StringComparison.Ordinal);
    }

    [SharedFact]
    public void Which_names_the_layer_images_and_containers_of_a_fixture_file_and_nothing_for_an_orphan()
    {
        using var dir = SharedData.Unpack(Path.Combine(SharedData.Fixtures, "de-overlay2-v2.tgz"));
        var root = Path.Combine(dir.Path, "docker");
        var report = Checker.Check(new CheckOptions(root, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var layer = Assert.Single(report.Store.Layers);
        var image = Assert.Single(report.Images);
        Assert.True(image.Loads);
        Assert.Equal(Some(layer.ChainID), image.TopChainId);
        Assert.Equal(1, report.ImageRefs.Find(layer.ChainID.ToString()).IfNone(0));
        var owner = Ownership.Find(report, $"overlay2/{layer.CacheID.Value}/diff/bin/busybox");
        Assert.Equal(OwnerKind.Layer, owner.Kind);
        Assert.Equal(Some(layer.ChainID.ToString()), owner.ChainId);
        Assert.Equal(Seq1(image.Id), owner.Images);
        Assert.Equal(report.Store.Mounts.Map(m => m.Name), owner.Containers);
        var mount = report.Store.Mounts.Head;
        var init = Ownership.Find(report, $"overlay2/{mount.MountID.Value}-init/diff/etc/hosts");
        Assert.Equal(OwnerKind.InitLayer, init.Kind);
        Assert.Equal(Some(mount.Name), init.Mount);
        Assert.Equal(report.Containers.Find(mount.Name).Bind(c => c.Name), init.ContainerName);

        Assert.Equal(OwnerKind.Mount, Ownership.Find(report, $"containers/{mount.Name}/config.v2.json").Kind);
        Assert.Equal(OwnerKind.Mount, Ownership.Find(report, mount.MountID.Value[..12]).Kind);
        Assert.Equal(OwnerKind.Image, Ownership.Find(report, $"image/overlay2/imagedb/content/sha256/{image.Id[7..]}").Kind);

        Directory.CreateDirectory(Path.Combine(root, "overlay2", "leftover-folder", "diff"));
        var after = Checker.Check(new CheckOptions(root, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(OwnerKind.Orphan, Ownership.Find(after, "overlay2/leftover-folder/diff").Kind);
        Assert.Equal(OwnerKind.Unknown, Ownership.Find(after, "no-such-thing").Kind);
    }

    [Fact]
    public void Plan_is_stable_and_leaves_the_root_unchanged()
    {
        using var dir = new TempDir();
        var generated = LayerFunctional.Generation.RootGenerator.Generate(3, new LayerFunctional.Generation.GeneratorOptions(4, 1, 1));
        RootWriter.Write(dir.Path, generated).IfLeft(e => throw new InvalidOperationException(e));
        DiskRoot.WriteFile(dir.Path, "overlay2/0rphan/diff/big", new string('x', 5000));
        Directory.CreateDirectory(Path.Combine(dir.Path, "image/overlay2/layerdb/tmp/write-set-1"));
        var before = Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var first = new StringWriter();
        var second = new StringWriter();
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["check", dir.Path, "--plan"], first, new StringWriter()));
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["check", dir.Path, "--plan"], second, new StringWriter()));
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(before, Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray());
        var plan = first.ToString();
        Assert.StartsWith("#!/bin/sh\n", plan, StringComparison.Ordinal);
        Assert.Contains("DRY_RUN=1\n", plan, StringComparison.Ordinal);
        Assert.Contains("#             5000 bytes  orphan_driver_dir      overlay2/0rphan  (orphan driver folder)", plan, StringComparison.Ordinal);
        Assert.Contains($"run rm -rf -- '{dir.Path}/overlay2/0rphan'\n", plan, StringComparison.Ordinal);
        Assert.Contains($"run rm -rf -- '{dir.Path}/image/overlay2/layerdb/tmp/write-set-1'\n", plan, StringComparison.Ordinal);
        // Run as written, the script only prints.
        var script = Path.Combine(Path.GetTempPath(), "plan-" + Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(script, plan);
        using var sh = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", script) { RedirectStandardOutput = true })!;
        var output = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        File.Delete(script);
        Assert.Equal(0, sh.ExitCode);
        Assert.Contains("would run: rm -rf -- " + dir.Path + "/overlay2/0rphan", output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "overlay2/0rphan")));
    }

    [Fact]
    public void Generation_is_byte_for_byte_deterministic()
    {
        var a = LayerFunctional.Generation.RootGenerator.Generate(99, new LayerFunctional.Generation.GeneratorOptions(12, 3, 2));
        var b = LayerFunctional.Generation.RootGenerator.Generate(99, new LayerFunctional.Generation.GeneratorOptions(12, 3, 2));
        Assert.Equal(a.Entries, b.Entries);
        Assert.NotEqual(a.Entries, LayerFunctional.Generation.RootGenerator.Generate(100, new LayerFunctional.Generation.GeneratorOptions(12, 3, 2)).Entries);
        // Every generated chain ID follows §5 from its parent and diff ID.
        Assert.All(a.Layers, l => Assert.Equal(ChainID.Compute(l.Parent, l.DiffID), l.ChainID));
    }
}
