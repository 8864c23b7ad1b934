using System.Diagnostics;
using System.Text;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using LayerFunctional.Testing;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Edge;

/// <summary>
/// The repair and clean-up scripts run with <c>sh</c> on hostile roots (found by a review that tried to break them): names
/// and file contents with newlines never run as commands; nothing is written through a planted temporary file, a linked
/// <c>l/</c> folder or a FIFO; a leftover's driver folder stays while a namer cannot be read; a second run is idle.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class RepairPlanOnDiskTests
{
    private static (TempDir Dir, GeneratedRoot Model) Written(long seed, params ProblemKind[] kinds)
    {
        var model = Corrupters.Generate(seed, new GeneratorOptions(5, 2, 2), toSeq(kinds)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var dir = new TempDir();
        RootWriter.Write(dir.Path, model).IfLeft(e => throw new InvalidOperationException(e));
        return (dir, model);
    }

    private static CheckReport Check(string root) =>
        Checker.Check(new CheckOptions(root, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    /// <summary>Runs a script with sh in <paramref name="cwd"/>; armed when asked.</summary>
    private static (int Code, string Output) Sh(string script, string cwd, bool armed) =>
        PlanShell.Run(armed ? PlanShell.Armed(script) : script, cwd);

    private static string Expected(GeneratedRoot model, ProblemKind kind) =>
        model.Expected.Problems.Find(p => p.Kind == kind).Map(p => p.Path).IfNone(() => throw new Xunit.Sdk.XunitException(kind.Id()));

    [Fact]
    public void A_missing_l_folder_is_made_again_before_its_links_and_the_root_checks_clean()
    {
        var (dir, model) = Written(4, ProblemKind.OverlayLinkFolderInvalid);
        using var _ = dir;
        using var cwd = new TempDir();
        var before = Check(dir.Path);
        // One root cause: every missing short link and every lower file that goes through one names overlay2/l.
        var cause = new ProblemCause(ProblemKind.OverlayLinkFolderInvalid, "overlay2/l");
        Assert.Equal(model.Expected.Problems.Map(p => (p.Kind, p.Path)), before.Problems.Map(p => (p.Kind, p.Path)));
        Assert.All(before.Problems.Filter(p => p.Kind != ProblemKind.OverlayLinkFolderInvalid), p => Assert.Equal(Some(cause), p.CausedBy));
        Assert.Equal(new RepairAction(RepairStep.CreateLinkFolder, "overlay2/l", "", ProblemKind.OverlayLinkFolderInvalid, "overlay2/l"), before.Repairs.Head);
        Assert.Equal(model.Layers.Count + 2 * model.Mounts.Count, before.Repairs.Count(a => a.Step == RepairStep.CreateShortLink));
        Assert.Equal(0, Sh(RepairPlan.Render(before, dir.Path), cwd.Path, armed: true).Code);
        Assert.Empty(Check(dir.Path).Problems);
    }

    [Fact]
    public void An_l_that_is_a_file_stops_the_daemon_and_is_left_to_the_reader()
    {
        var (dir, _) = Written(4);
        using var __ = dir;
        Directory.Delete(Path.Combine(dir.Path, "overlay2", "l"), recursive: true);
        File.WriteAllText(Path.Combine(dir.Path, "overlay2", "l"), "x");
        var report = Check(dir.Path);
        Assert.Equal(LayerFunctional.Drivers.Outcome.DaemonRefusesToStart, report.Outcome);
        var l = Assert.Single(report.Problems, p => p.Kind == ProblemKind.OverlayLinkFolderInvalid);
        Assert.Equal(("overlay2/l", Severity.Error, (Fact)new Fact.LinkFolderInvalid(Missing: false, "overlay2")), (l.Path, l.Severity, l.Fact));
        Assert.DoesNotContain(report.Repairs, a => a.Step == RepairStep.CreateLinkFolder);
    }

    [Fact]
    public void A_newline_in_a_name_or_a_link_file_never_runs_as_a_command()
    {
        var (dir, model) = Written(3, ProblemKind.OverlayLinkFileEmpty, ProblemKind.StaleTransaction);
        using var _ = dir;
        using var cwd = new TempDir();
        var link = Expected(model, ProblemKind.OverlayLinkFileEmpty);
        // A link file of another folder, and a transaction folder, whose text ends a comment and touches a file.
        var other = model.Layers.Find(l => !link.Contains(l.CacheID, StringComparison.Ordinal)).Map(l => l.CacheID).IfNone("");
        File.WriteAllText(Path.Combine(dir.Path, "overlay2", other, "link"), "X\ntouch PWNED1 #");
        Directory.CreateDirectory(Path.Combine(dir.Path, RootGenerator.LayerDb, "tmp", "write-set-9\ntouch PWNED2 #"));
        var report = Check(dir.Path);
        // In comments the newline is escaped; inside a quoted path it is part of the name (sh keeps it literal).
        Assert.Contains("# stale_transaction image/overlay2/layerdb/tmp/write-set-9\\x0atouch PWNED2 #:", RepairPlan.Render(report, dir.Path), StringComparison.Ordinal);
        foreach (var script in new[] { RepairPlan.Render(report, dir.Path), CleanupPlan.Render(report, dir.Path) })
            Assert.Equal(0, Sh(script, cwd.Path, armed: false).Code);
        Assert.Equal(0, Sh(RepairPlan.Render(report, dir.Path), cwd.Path, armed: true).Code);
        Assert.Empty(Directory.GetFiles(cwd.Path, "PWNED*"));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, RootGenerator.LayerDb, "tmp", "write-set-9\ntouch PWNED2 #")));
        // The link file's text is no short name: no link is made of it.
        Assert.DoesNotContain(report.Repairs, a => a.Path.Contains("PWNED1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_planted_temporary_file_is_never_written_through()
    {
        var (dir, model) = Written(3, ProblemKind.OverlayLinkFileEmpty);
        using var _ = dir;
        using var outside = new TempDir();
        var link = Path.Combine(dir.Path, Expected(model, ProblemKind.OverlayLinkFileEmpty));
        var victim = Path.Combine(outside.Path, "victim");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(link + ".layerfn-new", victim);
        var (code, output) = Sh(RepairPlan.Render(Check(dir.Path), dir.Path), outside.Path, armed: true);
        Assert.True(code == 0, output);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Matches("^[A-Z2-7]{26}$", File.ReadAllText(link));
    }

    [Fact]
    public void Nothing_is_created_through_an_l_folder_that_is_a_link_out_of_the_root()
    {
        var (dir, _) = Written(3, ProblemKind.OverlayLinkSymlinkMissing, ProblemKind.MountIdMissing);
        using var __ = dir;
        using var outside = new TempDir();
        var l = Path.Combine(dir.Path, "overlay2", "l");
        Directory.Delete(l, recursive: true);
        File.CreateSymbolicLink(l, outside.Path);
        var (code, output) = Sh(RepairPlan.Render(Check(dir.Path), dir.Path), outside.Path, armed: true);
        Assert.True(code == 0, output);
        Assert.Contains("not inside the docker root", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outside.Path));   // the script itself is removed after the run
        // The actions after the skipped ones still ran: the mount loads again.
        Assert.DoesNotContain(Check(dir.Path).Problems, p => p.Kind == ProblemKind.MountIdMissing);
    }

    [Fact]
    public void A_fifo_is_never_read_and_a_lower_file_with_a_trailing_newline_is_rewritten()
    {
        var (dir, model) = Written(6, ProblemKind.UnregisteredDriverDir);
        using var _ = dir;
        using var cwd = new TempDir();
        var mount = model.Mounts[0];
        var mountId = Path.Combine(dir.Path, mount.Folder, "mount-id");
        File.Delete(mountId);
        Assert.Equal(0, Mkfifo(mountId));
        var lower = Directory.GetFiles(Path.Combine(dir.Path, "overlay2"), "lower", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.AppendAllText(lower, "\n");
        var report = Check(dir.Path);
        Assert.Contains(report.Repairs, a => a.Step == RepairStep.WriteLowerFile && Path.Combine(dir.Path, a.Path) == lower);
        var (code, output) = Sh(RepairPlan.Render(report, dir.Path), cwd.Path, armed: true);
        Assert.True(code == 0, output);
        Assert.Contains("mount-id: not a regular file", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Check(dir.Path).Problems, p => p.Kind == ProblemKind.OverlayLowerEntryInvalid);
        Assert.Equal("", Sh(RepairPlan.Render(report, dir.Path), cwd.Path, armed: false).Output.Replace("skipped " + mountId + ": not a regular file\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void A_leftover_s_driver_folder_stays_while_a_mount_id_cannot_be_read()
    {
        var (dir, model) = Written(3, ProblemKind.RemovalLeftover);
        using var _ = dir;
        using var outside = new TempDir();
        var mount = model.Mounts[0];
        var leftover = Expected(model, ProblemKind.RemovalLeftover);
        // The leftover names the container's read-write folder; its own mount-id is a link the check does not follow.
        File.WriteAllText(Path.Combine(dir.Path, leftover, "cache-id"), mount.MountID);
        var mountId = Path.Combine(dir.Path, mount.Folder, "mount-id");
        File.Move(mountId, Path.Combine(outside.Path, "mount-id"));
        File.CreateSymbolicLink(mountId, Path.Combine(outside.Path, "mount-id"));
        var report = Check(dir.Path);
        Assert.DoesNotContain(report.Cleanup, c => c.Path == "overlay2/" + mount.MountID);
        Assert.DoesNotContain(report.Repairs, a => a.Path == "overlay2/" + mount.MountID);
        Assert.Equal(0, Sh(RepairPlan.Render(report, dir.Path), outside.Path, armed: true).Code);
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "overlay2", mount.MountID, "diff")));
    }

    [Fact]
    public void A_layer_that_does_not_load_on_a_quarantined_layer_moves_with_it_and_its_lost_cache_id_is_not_written()
    {
        // A chain a <- b <- c: a loses its tar-split (quarantined), b its cache-id (does not load; c's lower places its folder).
        var model = RootGenerator.Generate(11, new GeneratorOptions(Layers: 12, Mounts: 0, Images: 0));
        var byChain = model.Layers.ToDictionary(l => l.ChainID);
        var c = model.Layers.Find(l => l.Parent.Exists(p => byChain[p].Parent.IsSome))
            .IfNone(() => throw new Xunit.Sdk.XunitException("no chain of three layers"));
        var b = byChain[c.Parent.IfNone(() => throw new InvalidOperationException())];
        var a = byChain[b.Parent.IfNone(() => throw new InvalidOperationException())];
        using var dir = new TempDir();
        using var quarantine = new TempDir();
        using var cwd = new TempDir();
        RootWriter.Write(dir.Path, model.Without(a.Folder + "/tar-split.json.gz").Without(b.Folder + "/cache-id")).IfLeft(e => throw new InvalidOperationException(e));
        var before = Check(dir.Path);
        Assert.Contains(before.Repairs, x => x.Step == RepairStep.WriteCacheId && x.Path == b.Folder + "/cache-id");

        var moves = RepairPlan.Quarantine(before);
        bool On(GeneratedLayer l, GeneratedLayer under) => l.ChainID == under.ChainID || l.Parent.Exists(p => On(byChain[p], under));
        var expected = model.Layers.Filter(l => On(l, a)).Bind(l => Seq(l.Folder, "overlay2/" + l.CacheID)).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(b.Folder, expected);
        Assert.Equal(expected, moves.Map(m => m.Path).ToList());
        Assert.DoesNotContain(RepairPlan.Actions(before, moves), x => x.Step == RepairStep.WriteCacheId);
        Assert.DoesNotContain(RepairPlan.NotRepaired(before), p => p.Path.StartsWith(b.Folder, StringComparison.Ordinal));

        var (code, output) = Sh(RepairPlan.Render(before, dir.Path, Some(quarantine.Path + "/q")), cwd.Path, armed: true);
        Assert.True(code == 0, output);
        var after = Check(dir.Path);
        Assert.Empty(after.Problems.Filter(p => p.Severity == Severity.Error));
        Assert.Equal(model.Layers.Filter(l => !On(l, a)).Map(l => l.ChainID).OrderBy(x => x, ChainID.Ordinal).ToList(),
            after.Store.Layers.Map(l => l.ChainID).OrderBy(x => x, ChainID.Ordinal).ToList());
        Assert.True(Directory.Exists(Path.Combine(quarantine.Path, "q", "overlay2", b.CacheID, "diff")));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int Mkfifo(string path, uint mode = 0x1A4);
}
