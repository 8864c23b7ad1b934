using System.Text;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Report;

/// <summary>The repair plan's script: its header, its guards and each step's command, pinned line by line (the only place
/// its wording is pinned besides the golden file).</summary>
public class RepairPlanTests
{
    private static CheckReport Check(GeneratedRoot model) =>
        Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static string[] Lines(string script) => script.Split('\n');

    [Fact]
    public void Each_step_checks_that_it_is_still_needed_and_only_prints_until_armed()
    {
        var model = RootGenerator.Generate(23, new GeneratorOptions(Layers: 4, Mounts: 2, Images: 1));
        var layer = model.Layers.Find(l => l.Parent.IsSome).IfNone(() => throw new Xunit.Sdk.XunitException("no upper layer"));
        var mount = model.Mounts[0];
        // Nothing sits on a container's read-write folder: its short link is named by no lower file.
        var other = model.Mounts[1];
        var rwLink = Encoding.UTF8.GetString(model.FileAt($"overlay2/{other.MountID}/link").IfNone([]));
        var (link, shortLink, lower, mountId) = ($"overlay2/{layer.CacheID}/link", "overlay2/l/" + rwLink, $"overlay2/{layer.CacheID}/lower", mount.Folder + "/mount-id");
        var broken = model.With(new GeneratedEntry.File(link, [])).Without(shortLink).With(new GeneratedEntry.File(lower, "l/X"u8.ToArray())).Without(mountId);
        var script = RepairPlan.Render(Check(broken), "/r/");
        var lines = Lines(script);

        Assert.Equal("#!/bin/sh", lines[0]);
        Assert.Equal("# layerfn repair plan for /r/ (moby 29.0 rules, driver overlay2).", lines[1]);
        Assert.Equal("# 4 action(s):", lines[4]);
        Assert.Equal($"#   write_link_file      {link}  (repairs overlay_link_file_empty {link})", lines[5]);
        Assert.Contains("DRY_RUN=1", lines);
        Assert.Contains("set -eu", lines);
        Assert.Contains($"if [ -d '/r/overlay2/{layer.CacheID}/diff' ] && inside '/r/{link}' && differs '/r/{link}' '{layer.OverlayLink}'; then put '/r/{link}' '{layer.OverlayLink}'; fi", lines);
        Assert.Contains($"if [ -d '/r/overlay2/{other.MountID}/diff' ] && inside '/r/{shortLink}' && [ ! -e '/r/{shortLink}' ] && [ ! -L '/r/{shortLink}' ]; then run ln -s -- '../{other.MountID}/diff' '/r/{shortLink}'; fi", lines);
        Assert.Contains($"if inside '/r/{lower}' && differs '/r/{lower}' '{layer.OverlayLower}'; then put '/r/{lower}' '{layer.OverlayLower}'; fi", lines);
        Assert.Contains($"# unregistered_driver_dir overlay2/{mount.MountID}: register the read-write folder {mount.MountID} that the init ID names", lines);
        Assert.Contains($"if [ -d '/r/overlay2/{mount.MountID}' ] && inside '/r/{mountId}' && differs '/r/{mountId}' '{mount.MountID}'; then put '/r/{mountId}' '{mount.MountID}'; fi", lines);
        // The mount's own finding is repaired by the same write: nothing is left over.
        Assert.DoesNotContain(lines, l => l.StartsWith("# Not repaired here", StringComparison.Ordinal));
    }

    [Fact]
    public void Removals_are_guarded_and_the_findings_left_are_listed_by_kind_and_path()
    {
        var model = Corrupters.Generate(29, new GeneratorOptions(3, 0, 0), Seq(ProblemKind.LayerDirEmpty, ProblemKind.StaleTransaction, ProblemKind.SizeMissing))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var lines = Lines(RepairPlan.Render(Check(model), "/r"));
        var empty = model.Expected.Problems.Find(p => p.Kind == ProblemKind.LayerDirEmpty).Map(p => p.Path).IfNone("");
        var stale = model.Expected.Problems.Find(p => p.Kind == ProblemKind.StaleTransaction).Map(p => p.Path).IfNone("");
        var size = model.Expected.Problems.Find(p => p.Kind == ProblemKind.SizeMissing).Map(p => p.Path).IfNone("");
        Assert.Contains($"if inside '/r/{empty}' && [ -d '/r/{empty}' ] && [ ! -L '/r/{empty}' ]; then run rmdir -- '/r/{empty}'; fi", lines);
        Assert.Contains($"if inside '/r/{stale}' && {{ [ -e '/r/{stale}' ] || [ -L '/r/{stale}' ]; }}; then run rm -rf -- '/r/{stale}'; fi", lines);
        Assert.Contains("# Not repaired here (1): not recoverable from what is on disk, a symptom of another finding, or", lines);
        Assert.Contains($"#   size_missing                 {size}", lines);
    }

    [Fact]
    public void Quotes_in_paths_are_escaped_for_the_shell()
    {
        var model = RootGenerator.Generate(31, new GeneratorOptions(2, 0, 0));
        var layer = model.Layers.Find(l => l.Parent.IsSome).IfNone(() => throw new Xunit.Sdk.XunitException("no upper layer"));
        var script = RepairPlan.Render(Check(model.Without("overlay2/l/" + layer.OverlayLink)), "/it's");
        Assert.Contains($"run ln -s -- '../{layer.CacheID}/diff' '/it'\\''s/overlay2/l/{layer.OverlayLink}'", script, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_that_cannot_be_recovered_is_quarantined_with_every_layer_mount_container_and_image_on_it()
    {
        var model = RootGenerator.Generate(37, new GeneratorOptions(Layers: 8, Mounts: 3, Images: 2));
        var byChain = model.Layers.ToDictionary(l => l.ChainID);
        var mount = model.Mounts[0];
        var baseLayer = byChain[mount.Parent];
        while (baseLayer.Parent.TrySome(out var parent)) baseLayer = byChain[parent];
        var tarSplit = baseLayer.Folder + "/tar-split.json.gz";
        var report = Check(model.Without(tarSplit));

        bool Above(GeneratedLayer l) => l.ChainID == baseLayer.ChainID || l.Parent.Exists(p => Above(byChain[p]));
        // Metadata and driver folders: a container's read-write data moves with it.
        var layers = model.Layers.Filter(Above).Bind(l => Seq(l.Folder, "overlay2/" + l.CacheID));
        var mounts = model.Mounts.Filter(m => Above(byChain[m.Parent])).Bind(m => Seq(m.Folder, "containers/" + m.Name, "overlay2/" + m.MountID, "overlay2/" + m.InitID));
        var images = model.Images.Filter(i => Above(byChain[i.Top]))
            .Bind(i => Seq($"image/overlay2/imagedb/content/sha256/{i.Id[7..]}", $"image/overlay2/imagedb/metadata/sha256/{i.Id[7..]}"));
        var expected = (layers + mounts + images).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("containers/" + mount.Name, expected);
        var moves = RepairPlan.Quarantine(report);
        Assert.Equal(expected, moves.Map(m => m.Path).ToList());
        Assert.All(moves, m => Assert.Equal((RepairStep.Quarantine, ProblemKind.TarSplitMissing, tarSplit), (m.Step, m.Repairs, m.FindingPath)));
        Assert.Equal(model.Images.Filter(i => Above(byChain[i.Top])).Map(i => "image " + i.Id).Order(StringComparer.Ordinal).ToList(),
            moves.Map(m => m.Value).Filter(v => v.Length > 0).Order(StringComparer.Ordinal).ToList());

        // Listed only without a quarantine folder; moved, keeping the path under the root, with one.
        var listed = Lines(RepairPlan.Render(report, "/r"));
        Assert.Contains($"# {moves.Count} entries to quarantine (run again with --quarantine DIR to move them out of the root):", listed);
        Assert.DoesNotContain(listed, l => l.Contains("run mv", StringComparison.Ordinal));
        var moved = Lines(RepairPlan.Render(report, "/r", Some("/q")));
        var first = moves[0].Path;
        Assert.Contains($"if inside '/r/{first}' && {{ [ -e '/r/{first}' ] || [ -L '/r/{first}' ]; }}; then moveout '/r/{first}' '/q/{first}'; fi", moved);
        // The finding is not listed again as "not repaired".
        Assert.DoesNotContain(RepairPlan.NotRepaired(report), p => p.Path == tarSplit);
    }

    [Fact]
    public void Quarantined_images_are_named_for_docker_pull_by_their_tags_from_repositories_json()
    {
        var model = RootGenerator.Generate(37, new GeneratorOptions(Layers: 8, Mounts: 3, Images: 2));
        var byChain = model.Layers.ToDictionary(l => l.ChainID);
        // Quarantine every image: take out the tar-split of each image's base layer.
        var broken = model;
        foreach (var image in model.Images)
        {
            var layer = byChain[image.Top];
            while (layer.Parent.TrySome(out var parent)) layer = byChain[parent];
            broken = broken.Without(layer.Folder + "/tar-split.json.gz");
        }
        var (tagged, unnamed) = (model.Images[0].Id, model.Images[1].Id);
        var json = "{\"Repositories\":{\"web\":{\"web:1.0\":\"" + tagged + "\",\"web@sha256:" + new string('a', 64) + "\":\"" + tagged
                   + "\"},\"x;y\":{\"x;y:latest\":\"" + tagged + "\"}}}";
        var lines = Lines(RepairPlan.Render(Check(broken.With(new GeneratedEntry.File("image/overlay2/repositories.json", Encoding.UTF8.GetBytes(json)))), "/r"));
        Assert.Contains("# 2 image(s) to fetch again once moved (their layers come from the registry):", lines);
        // Tags only (the digest reference is left out while a tag exists), sorted, each quoted for the shell.
        Assert.Contains($"#   docker pull 'web:1.0' && docker pull 'x;y:latest'  (image {tagged})", lines);
        Assert.Contains($"#   {unnamed}  (no name in repositories.json: pull it by the name you gave it)", lines);
    }

    [Fact]
    public void Comments_carry_no_control_character_from_the_root()
    {
        Assert.Equal("a\\x0atouch x #\\x09\\\\", CleanupPlan.ShellComment("a\ntouch x #\t\\"));
        Assert.Equal("plain/name-1", CleanupPlan.ShellComment("plain/name-1"));
    }

    [Fact]
    public void The_whole_script_of_a_root_with_every_step_is_pinned()
    {
        var model = Corrupters.Generate(42, new GeneratorOptions(6, 3, 2), Seq(ProblemKind.OverlayLinkFileEmpty, ProblemKind.OverlayLinkSymlinkMissing,
                ProblemKind.OverlayLowerEntryInvalid, ProblemKind.MountIdMissing, ProblemKind.UnregisteredDriverDir, ProblemKind.LayerDirEmpty,
                ProblemKind.RemovalLeftover, ProblemKind.StaleTransaction, ProblemKind.TarSplitMissing, ProblemKind.SizeInvalid, ProblemKind.ParentCycle, ProblemKind.ParentLayerMissing, ProblemKind.ContainerWithoutMount, ProblemKind.CacheIdMissing))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        // A base layer whose parent file names no folder: its parent file is removed.
        var baseLayer = model.Layers.Filter(l => l.Parent.IsNone).Last;
        model = model.With(new GeneratedEntry.File(baseLayer.Folder + "/parent", Encoding.UTF8.GetBytes("sha256:" + new string('f', 64))));
        var report = Check(model);
        Assert.Equal(Enum.GetValues<RepairStep>().Except([RepairStep.RemoveLowerFile, RepairStep.WriteLowerFile, RepairStep.Quarantine, RepairStep.CreateLinkFolder]).Order(),
            report.Repairs.Map(a => a.Step).Distinct().Except([RepairStep.RemoveLowerFile, RepairStep.WriteLowerFile]).Order());
        Golden.Check("repair-plan.txt", RepairPlan.Render(report, "/r", Some("/q")) + "\n---- without a quarantine folder\n" + RepairPlan.Render(report, "/r"));
    }

    [Fact]
    public void A_missing_l_folder_is_made_first_and_its_links_after_it()
    {
        var model = Corrupters.Generate(4, new GeneratorOptions(5, 2, 2), Seq1(ProblemKind.OverlayLinkFolderInvalid)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var plan = RepairPlan.Render(Check(model), "/r");
        var lines = plan.Split('\n');
        var folder = System.Array.IndexOf(lines, "# overlay_link_folder_invalid overlay2/l: re-create the folder of short links (its links follow)");
        Assert.True(folder > 0);
        Assert.Equal("if inside '/r/overlay2/l' && [ ! -e '/r/overlay2/l' ] && [ ! -L '/r/overlay2/l' ]; then run mkdir -- '/r/overlay2/l'; fi", lines[folder + 1]);
        Assert.Contains("#   create_link_folder   overlay2/l  (repairs overlay_link_folder_invalid overlay2/l)", lines);
        Assert.True(lines.ToList().FindIndex(l => l.Contains(" ln -s -- ", StringComparison.Ordinal)) > folder);
    }

    [Fact]
    public void A_root_the_daemon_will_not_start_on_says_so_first() =>
        Assert.Contains("# WARNING: outcome is graphdriver_not_used: under these rules dockerd does not use this layerdb (see the report's hints).",
            Lines(RepairPlan.Render(Check(Corrupters.Generate(43, new GeneratorOptions(3, 1, 1), Seq1(ProblemKind.LayerdbNotUsed))
                .IfLeft(e => throw new Xunit.Sdk.XunitException(e))), "/r")));
}

/// <summary>The repair plan's containerd section, pinned line by line: on a real containerd store (the tiny sample) whose layer
/// blob file and layer snapshot folder are gone.</summary>
public class ContainerdRepairPlanTests
{
    private const string Layer = "sha256:a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577";

    [Fact]
    public void Broken_layers_and_blobs_become_guarded_ctr_commands_then_a_pull()
    {
        using var dir = new TempDir();
        var store = Path.Combine(dir.Path, "containerd", "daemon");
        Directory.CreateDirectory(Path.Combine(store, "io.containerd.metadata.v1.bolt"));
        File.WriteAllBytes(Path.Combine(store, "io.containerd.metadata.v1.bolt", "meta.db"), ContainerdSamples.Read("meta.db.gz"));
        Directory.CreateDirectory(Path.Combine(store, "io.containerd.snapshotter.v1.native"));
        File.WriteAllBytes(Path.Combine(store, "io.containerd.snapshotter.v1.native", "metadata.db"), ContainerdSamples.Read("native-metadata.db.gz"));
        foreach (var id in new[] { "1", "2" }) Directory.CreateDirectory(Path.Combine(store, "io.containerd.snapshotter.v1.native", "snapshots", id));
        var blobs = Path.Combine(store, "io.containerd.content.v1.content", "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        foreach (var hex in new[] { "54cd5374ead6aecf5d25294b6d71fbf17df7e773929742e1ed97a64ac903facc", "fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2" })
            File.WriteAllText(Path.Combine(blobs, hex), "");
        var report = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Parse("29.1").IfLeft(e => throw new Xunit.Sdk.XunitException(e)), Some<DriverName>("native")))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var lines = RepairPlan.Render(report, "/r").Split('\n');
        Assert.Equal("# layerfn repair plan for /r (moby 29.1 rules, containerd store, snapshotter native).", lines[1]);
        Assert.Contains("# 3 containerd command(s), for the running daemon (start dockerd first; they go through containerd's socket):", lines);
        Assert.Contains($"#   remove_snapshot      {Layer}  (repairs containerd_snapshot_dir_missing containerd/daemon/io.containerd.snapshotter.v1.native/snapshots/3)", lines);
        Assert.Contains($"#   remove_blob          {Layer}  (repairs containerd_blob_missing containerd/daemon/io.containerd.content.v1.content/blobs/sha256/{Layer[7..]})", lines);
        Assert.Contains("CTR_ADDRESS=${CTR_ADDRESS:-/var/run/docker/containerd/containerd.sock}", lines);
        const string Ctr = "ctr --address \"$CTR_ADDRESS\" --connect-timeout 5s -n moby";
        Assert.Contains($"if [ -S \"$CTR_ADDRESS\" ] && {Ctr} version > /dev/null 2>&1; then CTR_UP=1; else CTR_UP=0; printf 'containerd does not answer at %s: its steps below are shown, not run\\n' \"$CTR_ADDRESS\"; fi", lines);
        Assert.Contains($"if [ \"$CTR_UP\" = 0 ] || {Ctr} snapshots --snapshotter 'native' info '{Layer}' > /dev/null 2>&1; then ctr_run {Ctr} snapshots --snapshotter 'native' rm '{Layer}'; fi", lines);
        Assert.Contains($"if [ \"$CTR_UP\" = 0 ] || {Ctr} content ls -q | grep -qxF -- '{Layer}'; then ctr_run {Ctr} content rm '{Layer}'; fi", lines);
        Assert.Contains("ctr_run docker pull 'docker.io/library/tiny:1'", lines);
        Assert.Contains("# containerd_snapshot_dir_missing containerd/daemon/io.containerd.snapshotter.v1.native/snapshots/3: remove the snapshot (containerd unpacks the image again when it is next used)", lines);
        Assert.Contains($"# containerd_blob_missing containerd/daemon/io.containerd.content.v1.content/blobs/sha256/{Layer[7..]}: remove the blob's record, so that a pull fetches it again", lines);
        // One pull, named by the first finding (by path) that needs it.
        Assert.Contains($"# containerd_blob_missing containerd/daemon/io.containerd.content.v1.content/blobs/sha256/{Layer[7..]}: pull the image again: its missing blobs and layers come back from the registry", lines);
        Assert.Single(lines, l => l.StartsWith("ctr_run docker pull", StringComparison.Ordinal));
        // Every finding has its command: none is left as "not repaired".
        Assert.Empty(RepairPlan.NotRepaired(report));
    }
}
