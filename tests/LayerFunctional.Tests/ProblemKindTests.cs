using System.Diagnostics;
using System.Text;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>
/// One test per problem kind: a healthy generated root, exactly one fault applied on disk, and the exact
/// set of problems (kind, path) that fault must produce, nothing else. Targets are chosen from the
/// generator's facts so that a fault touches nothing else: a leaf layer with a parent that no image or
/// mount uses, a parent whose only user is that leaf, and the one container mount.
/// </summary>
public class ProblemKindTests
{
    private const string Db = "image/overlay2/layerdb";

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
    private static string MountFolder => $"{Db}/mounts/{S.Mount.Name}";
    private static string LinkOf(string id, string root) => File.ReadAllText(Path.Combine(root, "overlay2", id, "link"));
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

    /// <summary>Each fault: what to do to the root, the options, and the exact problems expected.</summary>
    public static TheoryData<string> Kinds() => new(Faults.Keys.Order(StringComparer.Ordinal));

    private sealed record Fault(Action<string> Apply, Func<string, Seq<(string Kind, string Path)>> Expected, string Moby = "29.0", string? Driver = null);

    private static readonly Dictionary<string, Fault> Faults = new(StringComparer.Ordinal)
    {
        ["layer_dir_empty"] = new(r => { foreach (var f in Directory.GetFiles(Path.Combine(r, Folder(S.Leaf)))) File.Delete(f); },
            _ => Seq(("layer_dir_empty", Folder(S.Leaf)), ("orphan_driver_dir", "overlay2/" + S.Leaf.CacheID))),
        ["diff_id_missing"] = new(r => Delete(r, Folder(S.Leaf) + "/diff"), _ => Seq1(("diff_id_missing", Folder(S.Leaf) + "/diff"))),
        ["diff_id_invalid"] = new(r => Write(r, Folder(S.Leaf) + "/diff", "sha256:xyz"), _ => Seq1(("diff_id_invalid", Folder(S.Leaf) + "/diff"))),
        ["size_missing"] = new(r => Delete(r, Folder(S.Leaf) + "/size"), _ => Seq1(("size_missing", Folder(S.Leaf) + "/size"))),
        ["size_invalid"] = new(r => Write(r, Folder(S.Leaf) + "/size", "12\n"), _ => Seq1(("size_invalid", Folder(S.Leaf) + "/size"))),
        ["size_negative"] = new(r => Write(r, Folder(S.Leaf) + "/size", "-1"), _ => Seq1(("size_negative", Folder(S.Leaf) + "/size"))),
        ["cache_id_missing"] = new(r => Delete(r, Folder(S.Leaf) + "/cache-id"),
            _ => Seq(("cache_id_missing", Folder(S.Leaf) + "/cache-id"), ("orphan_driver_dir", "overlay2/" + S.Leaf.CacheID))),
        ["cache_id_invalid"] = new(r => Write(r, Folder(S.Leaf) + "/cache-id", " \n"),
            _ => Seq(("cache_id_invalid", Folder(S.Leaf) + "/cache-id"), ("orphan_driver_dir", "overlay2/" + S.Leaf.CacheID))),
        ["parent_invalid"] = new(r => Write(r, Folder(S.Leaf) + "/parent", ""), _ => Seq1(("parent_invalid", Folder(S.Leaf) + "/parent"))),
        ["parent_layer_missing"] = new(r => Write(r, Folder(S.Leaf) + "/parent", Other("nowhere")), _ => Seq1(("parent_layer_missing", Folder(S.Leaf) + "/parent"))),
        ["descriptor_invalid"] = new(r => Write(r, Folder(S.Leaf) + "/descriptor.json", "[]"), _ => Seq1(("descriptor_invalid", Folder(S.Leaf) + "/descriptor.json"))),
        ["ancestor_unloadable"] = new(r => Write(r, Folder(S.Parent) + "/size", "x"),
            _ => Seq(("ancestor_unloadable", Folder(S.Leaf) + "/parent"), ("size_invalid", Folder(S.Parent) + "/size"))),
        ["parent_cycle"] = new(r => Write(r, Folder(S.Leaf) + "/parent", S.Leaf.ChainID.ToString()), _ => Seq1(("parent_cycle", Folder(S.Leaf) + "/parent"))),
        ["chain_id_mismatch"] = new(r => Write(r, Folder(S.Leaf) + "/diff", Other("another diff")), _ => Seq1(("chain_id_mismatch", Folder(S.Leaf)))),
        ["invalid_layer_dir_entry"] = new(r => Write(r, $"{Db}/sha256/notes.txt", "x"), _ => Seq1(("invalid_layer_dir_entry", $"{Db}/sha256/notes.txt"))),
        ["layer_dir_is_symlink"] = new(r => File.CreateSymbolicLink(Path.Combine(r, Db, "sha256", Other("link")[7..]), S.Leaf.ChainID.Digest.Encoded),
            _ => Seq1(("layer_dir_is_symlink", $"{Db}/sha256/{Other("link")[7..]}"))),
        ["removal_leftover"] = new(r => Directory.Move(Path.Combine(r, Folder(S.Leaf)), Path.Combine(r, Folder(S.Leaf) + "-" + Other("r")[7..] + "-removing")),
            _ => Seq1(("removal_leftover", Folder(S.Leaf) + "-" + Other("r")[7..] + "-removing"))),
        ["stale_transaction"] = new(r => Directory.CreateDirectory(Path.Combine(r, Db, "tmp", "write-set-123")), _ => Seq1(("stale_transaction", $"{Db}/tmp/write-set-123"))),
        ["tar_split_missing"] = new(r => Delete(r, Folder(S.Leaf) + "/tar-split.json.gz"), _ => Seq1(("tar_split_missing", Folder(S.Leaf) + "/tar-split.json.gz"))),
        ["tar_split_invalid"] = new(r =>
            {
                var path = Path.Combine(r, Folder(S.Leaf), "tar-split.json.gz");
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            }, _ => Seq1(("tar_split_invalid", Folder(S.Leaf) + "/tar-split.json.gz"))),
        ["mount_id_missing"] = new(r => Delete(r, MountFolder + "/mount-id"),
            _ => Seq(("mount_id_missing", MountFolder + "/mount-id"), ("orphan_driver_dir", "overlay2/" + S.Mount.MountID))),
        ["mount_id_invalid"] = new(r => Write(r, MountFolder + "/mount-id", "NOT-HEX"),
            _ => Seq(("mount_id_invalid", MountFolder + "/mount-id"), ("orphan_driver_dir", "overlay2/" + S.Mount.MountID))),
        ["init_id_invalid"] = new(r => Write(r, MountFolder + "/init-id", ""),
            _ => Seq(("init_id_invalid", MountFolder + "/init-id"), ("orphan_driver_dir", "overlay2/" + S.Mount.MountID + "-init"))),
        ["mount_parent_invalid"] = new(r => Write(r, MountFolder + "/parent", ""), _ => Seq1(("mount_parent_invalid", MountFolder + "/parent"))),
        ["mount_parent_unloadable"] = new(r => Write(r, MountFolder + "/parent", Other("gone")), _ => Seq1(("mount_parent_unloadable", MountFolder + "/parent"))),
        ["ambiguous_prior_drivers"] = new(r => Write(r, "btrfs/subvolumes/x/file", "x"),
            _ => Seq(("ambiguous_prior_drivers", "btrfs"), ("ambiguous_prior_drivers", "overlay2"))),
        ["removed_driver_state"] = new(r => Write(r, "aufs/diff/x/file", "x"), _ => Seq1(("removed_driver_state", "aufs"))),
        ["other_driver_state"] = new(r => Write(r, "btrfs/subvolumes/x/file", "x"), _ => Seq1(("other_driver_state", "btrfs")), Driver: "overlay2"),
        ["driver_home_missing"] = new(r => Delete(r, "overlay2"), _ => Seq1(("driver_home_missing", "overlay2")), Driver: "overlay2"),
        ["driver_not_supported"] = new(_ => { }, _ => Seq1(("driver_not_supported", "aufs")), Driver: "aufs"),
        ["cache_dir_missing"] = new(r =>
            {
                Delete(r, "overlay2/l/" + LinkOf(S.Leaf.CacheID, r));
                Delete(r, "overlay2/" + S.Leaf.CacheID);
            }, _ => Seq1(("cache_dir_missing", "overlay2/" + S.Leaf.CacheID))),
        ["mount_dir_missing"] = new(r =>
            {
                Delete(r, "overlay2/l/" + LinkOf(S.Mount.MountID, r));
                Delete(r, "overlay2/" + S.Mount.MountID);
            }, _ => Seq1(("mount_dir_missing", "overlay2/" + S.Mount.MountID))),
        ["init_dir_missing"] = new(r =>
            {
                Delete(r, "overlay2/l/" + LinkOf(S.Mount.MountID + "-init", r));
                Delete(r, "overlay2/" + S.Mount.MountID + "-init");
            }, _ => Seq(("init_dir_missing", "overlay2/" + S.Mount.MountID + "-init"), ("overlay_lower_entry_invalid", "overlay2/" + S.Mount.MountID + "/lower"))),
        ["orphan_driver_dir"] = new(r => Write(r, "overlay2/" + Other("orphan")[7..] + "/diff/x", "x"), _ => Seq1(("orphan_driver_dir", "overlay2/" + Other("orphan")[7..]))),
        ["overlay_link_file_empty"] = new(r => Write(r, "overlay2/" + S.Leaf.CacheID + "/link", ""), _ => Seq1(("overlay_link_file_empty", "overlay2/" + S.Leaf.CacheID + "/link"))),
        ["overlay_link_symlink_missing"] = new(r => Delete(r, "overlay2/l/" + LinkOf(S.Leaf.CacheID, r)),
            _ => Seq1(("overlay_link_symlink_missing", "overlay2/" + S.Leaf.CacheID + "/link"))),
        ["overlay_symlink_dangling"] = new(r => File.CreateSymbolicLink(Path.Combine(r, "overlay2", "l", "ZZZZZZZZZZZZZZZZZZZZZZZZZZ"), "../nothing/diff"),
            _ => Seq1(("overlay_symlink_dangling", "overlay2/l/ZZZZZZZZZZZZZZZZZZZZZZZZZZ"))),
        ["overlay_lower_entry_invalid"] = new(r => Write(r, "overlay2/" + S.Leaf.CacheID + "/lower", "l/NOPE"),
            _ => Seq1(("overlay_lower_entry_invalid", "overlay2/" + S.Leaf.CacheID + "/lower"))),
        ["image_config_invalid"] = new(r => Write(r, "image/overlay2/imagedb/content/sha256/" + Other("y")[7..], "{\"rootfs\":{}}"),
            _ => Seq1(("image_config_invalid", "image/overlay2/imagedb/content/sha256/" + Other("y")[7..]))),
        ["image_layer_missing"] = new(r => Write(r, "image/overlay2/imagedb/content/sha256/" + MissingImage.Id, MissingImage.Json),
            _ => Seq1(("image_layer_missing", "image/overlay2/imagedb/content/sha256/" + MissingImage.Id))),
        ["mount_without_container"] = new(r => Delete(r, "containers/" + S.Mount.Name), _ => Seq1(("mount_without_container", MountFolder))),
        ["container_without_mount"] = new(r => Write(r, "containers/" + Other("c")[7..] + "/config.v2.json", "{\"ID\":\"" + Other("c")[7..] + "\",\"Driver\":\"overlay2\"}"),
            _ => Seq1(("container_without_mount", "containers/" + Other("c")[7..]))),
        ["not_a_regular_file"] = new(r =>
            {
                Delete(r, Folder(S.Leaf) + "/size");
                Directory.CreateDirectory(Path.Combine(r, Folder(S.Leaf), "size"));
            }, _ => Seq1(("not_a_regular_file", Folder(S.Leaf) + "/size"))),
        ["file_too_large"] = new(r => Write(r, Folder(S.Leaf) + "/size", new string('0', 70_000) + "1"), _ => Seq1(("file_too_large", Folder(S.Leaf) + "/size"))),
        ["symlink_outside_root"] = new(r =>
            {
                Delete(r, Folder(S.Leaf) + "/size");
                File.CreateSymbolicLink(Path.Combine(r, Folder(S.Leaf), "size"), "/etc/hostname");
            }, _ => Seq1(("symlink_outside_root", Folder(S.Leaf) + "/size"))),
        ["layerdb_not_used"] = new(r => Delete(r, "overlay2"), _ => Seq1(("layerdb_not_used", Db))),
        ["layerdb_absent"] = new(r => Delete(r, Db), _ => Seq1(("layerdb_absent", Db))),
        ["layerdb_unreadable"] = new(r =>
            {
                Delete(r, Db + "/mounts");
                Write(r, Db + "/mounts", "not a folder");
            }, _ => Seq1(("layerdb_unreadable", Db + "/mounts"))),
    };

    private static readonly (string Id, string Json) MissingImage = MakeImage();

    private static (string, string) MakeImage()
    {
        var json = "{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Other("no such layer") + "\"]}}";
        return (Digest.Sha256Of(Encoding.UTF8.GetBytes(json)).Encoded, json);
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

    [Theory]
    [MemberData(nameof(Kinds))]
    public void One_fault_gives_exactly_its_problems(string kind)
    {
        var fault = Faults[kind];
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, S.Root).IfLeft(e => throw new InvalidOperationException(e));
        fault.Apply(dir.Path);
        var options = new CheckOptions(dir.Path, MobyVersion.Parse(fault.Moby).IfLeft(e => throw new ArgumentException(e)), Optional(fault.Driver));
        var r = Checker.Check(options).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var expected = fault.Expected(dir.Path).OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Kind, StringComparer.Ordinal).ToSeq();
        Assert.Equal(expected, r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Contains(kind, r.Problems.Map(p => p.Kind.Id()));
    }

    [Fact]
    public void A_folder_still_in_lower_chains_is_reported_but_never_planned_for_removal()
    {
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, S.Root).IfLeft(e => throw new InvalidOperationException(e));
        Delete(dir.Path, Folder(S.Parent) + "/cache-id");   // the leaf still mounts through the parent's folder
        var r = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var orphan = r.Problems.Find(p => p.Kind == ProblemKind.OrphanDriverDir).IfNone(() => throw new Xunit.Sdk.XunitException("no orphan"));
        Assert.Equal("overlay2/" + S.Parent.CacheID, orphan.Path);
        Assert.StartsWith("no layerdb entry names it, but layers that load still mount through it", orphan.Consequence, StringComparison.Ordinal);
        Assert.DoesNotContain(r.Cleanup, c => c.Path == orphan.Path);
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

    [Fact]
    public void Every_kind_that_a_root_can_show_has_a_fault_here()
    {
        // Depth kinds are tested on in-memory stores (RootChecksTests); layer_content_mismatch needs --content
        // (not in this release); entry_unreadable and deprecated_driver_state need conditions a single
        // file fault cannot make here (a reader without rights; a root whose only state is a deprecated driver).
        var elsewhere = new[] { "layer_depth_at_limit", "layer_depth_exceeded", "layer_content_mismatch", "entry_unreadable", "deprecated_driver_state" };
        var all = Enum.GetValues<ProblemKind>().Select(k => k.Id()).Except(elsewhere).Order(StringComparer.Ordinal);
        Assert.Equal(all, Faults.Keys.Order(StringComparer.Ordinal));
    }
}
