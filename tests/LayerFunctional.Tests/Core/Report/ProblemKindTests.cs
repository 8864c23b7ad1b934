using System.Diagnostics;
using System.Text;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>
/// Driver-folder cases beyond one problem per fault (each kind's own fault is in <see cref="CorrupterTests"/>):
/// a folder still named by a live lower chain, BuildKit folders, hard-linked orphans. The scene: a leaf layer
/// with a parent that no image or mount uses, a parent whose only user is that leaf, and the one container mount.
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
    public void The_healthy_scene_has_no_problem()
    {
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, S.Root).IfLeft(e => throw new InvalidOperationException(e));
        var r = Checker.Check(new CheckOptions(dir.Path, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Empty(r.Problems);
        Assert.Equal(S.Root.Layers.Count, r.Store.Layers.Count);
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
}
