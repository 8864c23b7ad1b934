using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>The repair plan's actions: what each finding is rebuilt from, checked against the generator's own files (the
/// values overlay2 and moby wrote before the damage).</summary>
public class RepairsTests
{
    private const string Db = RootGenerator.LayerDb;

    private static CheckReport Check(GeneratedRoot model) =>
        Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static GeneratedRoot Valid(int seed) => RootGenerator.Generate(seed, new GeneratorOptions(Layers: 6, Mounts: 2, Images: 1));

    // A layer with a parent (its folder has a lower file).
    private static GeneratedLayer Upper(GeneratedRoot model) => model.Layers.Find(l => l.Parent.IsSome).IfNone(() => throw new Xunit.Sdk.XunitException("no upper layer"));

    private static GeneratedRoot Write(GeneratedRoot model, string path, string text) => model.With(new GeneratedEntry.File(path, Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_valid_root_needs_no_repair() =>
        Assert.Empty(Check(Valid(3)).Repairs);

    [Fact]
    public void An_empty_link_file_is_restored_from_the_short_link_that_leads_to_its_folder()
    {
        var model = Valid(5);
        var layer = Upper(model);
        var link = $"overlay2/{layer.CacheID}/link";
        var report = Check(Write(model, link, ""));
        Assert.Equal(Seq1(new RepairAction(RepairStep.WriteLinkFile, link, layer.OverlayLink, ProblemKind.OverlayLinkFileEmpty, link)
            { Requires = Some($"overlay2/{layer.CacheID}/diff") }), report.Repairs);
    }

    [Fact]
    public void A_missing_link_file_with_no_short_link_gets_a_fresh_name_and_its_link()
    {
        var model = Valid(5);
        var layer = Upper(model);
        var link = $"overlay2/{layer.CacheID}/link";
        var report = Check(model.Without(link).Without("overlay2/l/" + layer.OverlayLink));
        var name = Repairs.FreshShortName(layer.CacheID, new System.Collections.Generic.HashSet<string>());
        var diff = Some($"overlay2/{layer.CacheID}/diff");
        Assert.Equal(Seq(
                new RepairAction(RepairStep.WriteLinkFile, link, name, ProblemKind.OverlayLinkFileEmpty, link) { Requires = diff },
                new RepairAction(RepairStep.CreateShortLink, "overlay2/l/" + name, $"../{layer.CacheID}/diff", ProblemKind.OverlayLinkFileEmpty, link) { Requires = diff }),
            report.Repairs.Filter(a => a.Repairs == ProblemKind.OverlayLinkFileEmpty));
        // Layers above it name the old short link in their lower files: those entries are rebuilt with the new name.
        Assert.All(report.Repairs.Filter(a => a.Step == RepairStep.WriteLowerFile), a => Assert.Contains("l/" + name, a.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void A_parent_file_in_a_cycle_or_naming_no_folder_is_rewritten_with_the_parent_the_chain_id_hashes_from()
    {
        var model = Valid(11);
        var upper = Upper(model);
        var other = model.Layers.Find(l => l.Parent.IsSome && l.ChainID != upper.ChainID).IfNone(() => throw new Xunit.Sdk.XunitException("no second upper layer"));
        var root = model.Layers.Find(l => l.Parent.IsNone).IfNone(() => throw new Xunit.Sdk.XunitException("no base layer"));
        var (cycle, nowhere, based) = (upper.Folder + "/parent", other.Folder + "/parent", root.Folder + "/parent");
        var report = Check(Write(Write(Write(model, cycle, upper.ChainID.ToString()), nowhere, "sha256:" + new string('e', 64)), based, "sha256:" + new string('f', 64)));
        var parent = (GeneratedLayer l) => l.Parent.IfNone(() => throw new Xunit.Sdk.XunitException("no parent"));
        Assert.Equal(Seq(
                new RepairAction(RepairStep.WriteParentFile, cycle, parent(upper).ToString(), ProblemKind.ParentCycle, cycle)
                    { Requires = Some(Db + "/" + parent(upper).Digest.FolderKey) },
                new RepairAction(RepairStep.WriteParentFile, nowhere, parent(other).ToString(), ProblemKind.ParentLayerMissing, nowhere)
                    { Requires = Some(Db + "/" + parent(other).Digest.FolderKey) },
                // A base layer's chain ID is its diff ID: moby writes no parent file for it.
                new RepairAction(RepairStep.RemoveParentFile, based, "", ProblemKind.ParentLayerMissing, based))
                .OrderBy(a => a, Comparer<RepairAction>.Create(RepairAction.Compare)).ToSeq(),
            report.Repairs.Filter(a => a.Step is RepairStep.WriteParentFile or RepairStep.RemoveParentFile));
    }

    [Fact]
    public void A_parent_is_written_only_when_a_layer_folder_hashes_to_the_chain_id()
    {
        // The diff file is what changed: no folder makes the chain ID, so nothing is written (the diff may be the fault).
        var model = Valid(11);
        var upper = Upper(model);
        var report = Check(Write(model, upper.Folder + "/diff", "sha256:" + new string('d', 64)));
        Assert.Contains(report.Problems, p => p.Kind == ProblemKind.ChainIdMismatch && p.Path == upper.Folder);
        Assert.DoesNotContain(report.Repairs, a => a.Step is RepairStep.WriteParentFile or RepairStep.RemoveParentFile);
        // A parent missing for real (its folder gone) has no candidate either.
        var gone = Check(model.Without(Db + "/" + upper.Parent.IfNone(() => throw new Xunit.Sdk.XunitException("no parent")).Digest.FolderKey));
        Assert.DoesNotContain(gone.Repairs, a => a.Step is RepairStep.WriteParentFile or RepairStep.RemoveParentFile);
    }

    [Fact]
    public void A_container_whose_mount_folder_is_gone_gets_it_again_from_the_only_pair_on_its_image_s_top_layer()
    {
        var model = Corrupters.Generate(5, new GeneratorOptions(Layers: 6, Mounts: 2, Images: 1), Seq1(ProblemKind.ContainerWithoutMount))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var mount = model.Mounts.Last;   // the corrupter's container, whose mount folder it removed
        var container = "containers/" + mount.Name;
        var report = Check(model);
        // Its read-write and init folders are unregistered, symptoms of the lost mount folder.
        Assert.Equal(
            Seq((mount.MountID, false), (mount.InitID, true)).Map(f => new Problem(ProblemKind.UnregisteredDriverDir, Severity.Warning, "overlay2/" + f.Item1, None,
                Some<MountName>(mount.Name), f.Item1, new Fact.ContainerFolderUnregistered(mount.Name, mount.Parent, Init: f.Item2))
                { CausedBy = new ProblemCause(ProblemKind.ContainerWithoutMount, container) }),
            report.Problems.Filter(p => p.Kind == ProblemKind.UnregisteredDriverDir));
        Assert.Equal(Seq(
                new RepairAction(RepairStep.CreateMountFolder, mount.Folder, "", ProblemKind.ContainerWithoutMount, container) { Requires = Some("overlay2/" + mount.MountID) },
                new RepairAction(RepairStep.WriteMountId, mount.Folder + "/mount-id", mount.MountID, ProblemKind.UnregisteredDriverDir, "overlay2/" + mount.MountID)
                    { Requires = Some("overlay2/" + mount.MountID) },
                new RepairAction(RepairStep.WriteInitId, mount.Folder + "/init-id", mount.InitID, ProblemKind.UnregisteredDriverDir, "overlay2/" + mount.InitID)
                    { Requires = Some("overlay2/" + mount.InitID) },
                new RepairAction(RepairStep.WriteMountParent, mount.Folder + "/parent", mount.Parent.ToString(), ProblemKind.ContainerWithoutMount, container)
                    { Requires = Some(Db + "/" + mount.Parent.Digest.FolderKey) }),
            report.Repairs);
    }

    [Fact]
    public void Two_containers_of_one_image_without_their_mount_folders_are_left_alone()
    {
        // Nothing on disk tells which pair of folders is whose: both stay out of the clean-up plan, and out of the repairs.
        var model = RootGenerator.Generate(5, new GeneratorOptions(Layers: 6, Mounts: 2, Images: 1));
        var (lost, twin) = (model.Mounts[0], model.Mounts[1]);
        Assert.Equal(lost.Parent, twin.Parent);   // one image, two containers
        var report = Check(model.Without(lost.Folder).Without(twin.Folder));
        Assert.Equal(2, report.Problems.Count(p => p.Kind == ProblemKind.ContainerWithoutMount));
        Assert.Equal(4, report.Problems.Count(p => p is { Kind: ProblemKind.OrphanDriverDir, Fact: Fact.OrphanFolder { UnreadNamer.IsSome: true } }));
        Assert.Empty(report.Repairs);
        Assert.Empty(report.Cleanup);
    }

    [Fact]
    public void Fresh_short_names_are_26_base32_characters_derived_from_the_folder_and_never_taken()
    {
        var first = Repairs.FreshShortName("abc", new System.Collections.Generic.HashSet<string>());
        Assert.Matches("^[A-Z2-7]{26}$", first);
        Assert.Equal(first, Repairs.FreshShortName("abc", new System.Collections.Generic.HashSet<string>()));
        Assert.NotEqual(first, Repairs.FreshShortName("abd", new System.Collections.Generic.HashSet<string>()));
        var second = Repairs.FreshShortName("abc", new System.Collections.Generic.HashSet<string> { first });
        Assert.Matches("^[A-Z2-7]{26}$", second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_missing_short_link_is_recreated_where_it_should_be()
    {
        var model = Valid(7);
        var layer = Upper(model);
        var path = "overlay2/l/" + layer.OverlayLink;
        var report = Check(model.Without(path));
        var missing = Assert.Single(report.Problems, p => p.Kind == ProblemKind.OverlayLinkSymlinkMissing);
        Assert.Equal((path, Some(layer.CacheID)), (missing.Path, missing.CacheId));
        Assert.Equal(Seq1(new RepairAction(RepairStep.CreateShortLink, path, $"../{layer.CacheID}/diff", ProblemKind.OverlayLinkSymlinkMissing, path)
            { Requires = Some($"overlay2/{layer.CacheID}/diff") }), report.Repairs);
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void A_link_file_naming_something_that_is_not_a_plain_name_makes_no_short_link_and_no_lower_entry(string name)
    {
        var model = Valid(7);
        var layer = Upper(model);
        var report = Check(Write(model, $"overlay2/{layer.CacheID}/link", name).Without("overlay2/l/" + layer.OverlayLink));
        Assert.Contains(report.Problems, p => p.Kind == ProblemKind.OverlayLinkSymlinkMissing);
        Assert.DoesNotContain(report.Repairs, a => a.Step == RepairStep.CreateShortLink);
        // Layers above it keep their lower files: the folder's short name is unknown.
        Assert.DoesNotContain(report.Repairs, a => a.Value.Contains(name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(40)]
    public void Every_lower_file_of_a_valid_root_is_what_the_rebuild_gives(int seed)
    {
        var model = RootGenerator.Generate(seed, new GeneratorOptions(Layers: 12, Mounts: 3, Images: 2));
        var report = Check(model);
        var below = Repairs.BelowEachFolder(report.Store);
        var links = model.Entries.OfType<GeneratedEntry.File>().Where(f => f.Path.StartsWith("overlay2/", StringComparison.Ordinal) && f.Path.EndsWith("/link", StringComparison.Ordinal))
            .ToDictionary(f => f.Path.Split('/')[1], f => Encoding.UTF8.GetString(f.Bytes), StringComparer.Ordinal);
        var folders = new System.Collections.Generic.HashSet<string>(links.Keys, StringComparer.Ordinal);
        var lowers = model.Entries.OfType<GeneratedEntry.File>().Where(f => f.Path.StartsWith("overlay2/", StringComparison.Ordinal) && f.Path.EndsWith("/lower", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lowers);
        foreach (var lower in lowers)
        {
            var folder = lower.Path.Split('/')[1];
            Assert.Equal(Some(Encoding.UTF8.GetString(lower.Bytes)), Repairs.LowerOf(below[folder], report.Store, folders, links));
        }
    }

    [Fact]
    public void A_damaged_lower_file_is_rebuilt_from_the_parent_chain_and_a_base_layer_s_is_removed()
    {
        var model = Valid(11);
        var upper = Upper(model);
        var baseLayer = model.Layers.Find(l => l.Parent.IsNone).IfNone(() => throw new Xunit.Sdk.XunitException("no base layer"));
        var mount = model.Mounts[0];
        var (upperLower, baseLower, mountLower) = ($"overlay2/{upper.CacheID}/lower", $"overlay2/{baseLayer.CacheID}/lower", $"overlay2/{mount.MountID}/lower");
        var mountLowerText = Encoding.UTF8.GetString(model.FileAt(mountLower).IfNone(() => throw new Xunit.Sdk.XunitException(mountLower)));
        var report = Check(Write(Write(Write(model, upperLower, "l/NOPE"), baseLower, "l/NOPE"), mountLower, "l/NOPE"));
        Assert.Equal(
            new[]
            {
                new RepairAction(RepairStep.WriteLowerFile, upperLower, upper.OverlayLower, ProblemKind.OverlayLowerEntryInvalid, upperLower),
                new RepairAction(RepairStep.WriteLowerFile, mountLower, mountLowerText, ProblemKind.OverlayLowerEntryInvalid, mountLower),
                new RepairAction(RepairStep.RemoveLowerFile, baseLower, "", ProblemKind.OverlayLowerEntryInvalid, baseLower),
            }.OrderBy(a => a, Comparer<RepairAction>.Create(RepairAction.Compare)),
            report.Repairs);
        // The mount's read-write folder sits on its init folder, then the image's layers.
        Assert.StartsWith("l/" + Encoding.UTF8.GetString(model.FileAt($"overlay2/{mount.InitID}/link").IfNone([])) + ":", mountLowerText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lower_file_is_not_rebuilt_while_a_folder_below_it_is_missing()
    {
        var model = Valid(11);
        var mount = model.Mounts[0];
        var init = $"overlay2/{mount.InitID}";
        var report = Check(model.Without(init));
        Assert.Contains(report.Problems, p => p.Kind == ProblemKind.OverlayLowerEntryInvalid && p.Path == $"overlay2/{mount.MountID}/lower");
        Assert.DoesNotContain(report.Repairs, a => a.Step == RepairStep.WriteLowerFile);
    }

    [Fact]
    public void A_mount_s_missing_or_damaged_id_file_is_restored_from_its_other_id()
    {
        var model = Valid(13);
        var (a, b) = (model.Mounts[0], model.Mounts[1]);
        var report = Check(Write(model.Without(a.Folder + "/mount-id"), b.Folder + "/init-id", ""));
        Assert.Equal(Seq(
                new RepairAction(RepairStep.WriteMountId, a.Folder + "/mount-id", a.MountID, ProblemKind.UnregisteredDriverDir, "overlay2/" + a.MountID)
                    { Requires = Some("overlay2/" + a.MountID) },
                new RepairAction(RepairStep.WriteInitId, b.Folder + "/init-id", b.InitID, ProblemKind.UnregisteredDriverDir, "overlay2/" + b.InitID)
                    { Requires = Some("overlay2/" + b.InitID) })
                .OrderBy(x => x, Comparer<RepairAction>.Create(RepairAction.Compare)).ToSeq(),
            report.Repairs);
        // The ID files' own findings are repaired by the same writes: the plan leaves neither.
        Assert.Empty(RepairPlan.NotRepaired(report));
    }

    [Fact]
    public void Empty_layer_folders_leftovers_and_their_only_driver_folders_are_removed()
    {
        var model = Corrupters.Generate(17, new GeneratorOptions(4, 0, 0), Seq(ProblemKind.LayerDirEmpty, ProblemKind.RemovalLeftover, ProblemKind.StaleTransaction))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var report = Check(model);
        var expected = model.Expected.Problems.Filter(p => p.Kind is ProblemKind.LayerDirEmpty or ProblemKind.RemovalLeftover or ProblemKind.StaleTransaction)
            .Map(p => (p.Kind == ProblemKind.LayerDirEmpty ? RepairStep.RemoveEmptyFolder : RepairStep.RemoveLeftover, p.Path, p.Kind, p.Path))
            .ToList();
        // The removed layer's driver folder goes with its -removing leftover (named by nothing else).
        var leftover = model.Expected.Problems.Find(p => p.Kind == ProblemKind.RemovalLeftover).Map(p => p.Path).IfNone("");
        var cache = Encoding.UTF8.GetString(model.FileAt(leftover + "/cache-id").IfNone([]));
        expected.Add((RepairStep.RemoveLeftover, "overlay2/" + cache, ProblemKind.RemovalLeftover, leftover));
        Assert.Equal(
            expected.OrderBy(e => e.Item1).ThenBy(e => e.Item2, StringComparer.Ordinal),
            report.Repairs.Map(a => (a.Step, a.Path, a.Repairs, a.FindingPath)));
        Assert.All(report.Repairs, a => Assert.Equal("", a.Value));
    }

    [Fact]
    public void What_cannot_be_rebuilt_is_left_to_the_report()
    {
        var model = Corrupters.Generate(19, new GeneratorOptions(4, 1, 1), Seq(ProblemKind.CacheDirMissing, ProblemKind.SizeInvalid, ProblemKind.OrphanDriverDir))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var report = Check(model);
        Assert.Empty(report.Repairs);
        // Orphans belong to the clean-up plan, a layer whose folder is gone to the quarantine; the rest is listed as not repaired.
        Assert.Equal(
            model.Expected.Problems.Filter(p => p.Kind is ProblemKind.SizeInvalid).Map(p => (p.Kind, p.Path)).ToList(),
            RepairPlan.NotRepaired(report).Map(p => (p.Kind, p.Path)).ToList());
        Assert.Equal(model.Expected.Problems.Filter(p => p.Kind is ProblemKind.CacheDirMissing).Map(p => (p.Kind, p.Path)).ToList(),
            RepairPlan.Quarantine(report).Map(m => (m.Repairs, m.FindingPath)).Distinct().ToList());
    }
}
