using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>Root cause or symptom: what a failing layer drops (descendant layers, mounts on them, images whose top is
/// among them) names that layer's problem as <c>caused_by</c>; causes have none of their own.</summary>
public class RootCausesTests
{
    private static CheckReport Check(GeneratedRoot model) =>
        Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    [Fact]
    public void Layers_mounts_and_images_dropped_with_a_failing_base_layer_name_its_problem_as_their_cause()
    {
        var model = RootGenerator.Generate(11, new GeneratorOptions(Layers: 4, Mounts: 1, Images: 1));
        var mount = model.Mounts[0];
        var byChain = model.Layers.ToDictionary(l => l.ChainID);
        var layer = byChain[mount.Parent];
        while (layer.Parent.TrySome(out var parent)) layer = byChain[parent];
        var size = layer.Folder + "/size";
        var report = Check(model.With(new GeneratedEntry.File(size, "twelve"u8.ToArray())));

        var cause = new ProblemCause(ProblemKind.SizeInvalid, size);
        var root = Assert.Single(report.Problems, p => p.Kind == ProblemKind.SizeInvalid);
        Assert.Equal((size, None), (root.Path, root.CausedBy.Map(c => c.Path)));
        var symptoms = report.Problems.Filter(p => p.CausedBy.IsSome).ToList();
        Assert.Contains(symptoms, p => p.Kind == ProblemKind.AncestorUnloadable);
        Assert.Contains(symptoms, p => p.Kind == ProblemKind.MountParentUnloadable && p.Mount == Some<MountName>(mount.Name));
        Assert.Contains(symptoms, p => p.Kind == ProblemKind.ImageLayerMissing);
        Assert.All(symptoms, p => Assert.Equal(Some(cause), p.CausedBy));
        // Every layer dropped with it is a symptom: one ancestor_unloadable per descendant.
        Assert.Equal(report.Store.SkippedLayers.Count - 1, symptoms.Count(p => p.Kind == ProblemKind.AncestorUnloadable));
    }

    [Fact]
    public void A_mount_whose_parent_has_no_layer_folder_is_its_own_root_cause()
    {
        var model = Corrupters.Generate(4, new GeneratorOptions(Layers: 2, Mounts: 0, Images: 0), Seq1(ProblemKind.MountParentUnloadable))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var problem = Assert.Single(Check(model).Problems);
        Assert.Equal((ProblemKind.MountParentUnloadable, true), (problem.Kind, problem.CausedBy.IsNone));
    }

    [Fact]
    public void A_failing_ancestor_moby_reaches_only_as_a_parent_is_the_cause_through_the_load_s_problems()
    {
        var (chain, ancestor) = (ChainID.FromDigest(Digest.Sha256Of("a"u8)), ChainID.FromDigest(Digest.Sha256Of("b"u8)));
        var symptom = new Problem(ProblemKind.AncestorUnloadable, Severity.Error, "x/parent", chain, None, None, new Fact.AncestorUnloadable(chain, ancestor));
        var mount = new Problem(ProblemKind.MountParentUnloadable, Severity.Error, "m/parent", chain, Some<MountName>("m"), None, new Fact.MountParentUnloadable(chain, false));
        var cause = new Problem(ProblemKind.SizeInvalid, Severity.Error, "y/size", ancestor, None, None, new Fact.LayerDbUnlistable("x"));
        // Neither layer is listed (no skipped layers): the load's problems name them.
        var linked = RootCauses.Link(Seq(symptom, mount, cause), LayerFunctional.Graph.LayerStore.Empty, Seq(symptom, cause));
        Assert.Equal(Seq(Some(new ProblemCause(ProblemKind.SizeInvalid, "y/size")), Some(new ProblemCause(ProblemKind.SizeInvalid, "y/size")),
            Option<ProblemCause>.None), linked.Map(p => p.CausedBy));
    }

    [Fact]
    public void A_cause_must_be_a_problem_of_the_report()
    {
        var (chain, ancestor) = (ChainID.FromDigest(Digest.Sha256Of("a"u8)), ChainID.FromDigest(Digest.Sha256Of("b"u8)));
        var symptom = new Problem(ProblemKind.AncestorUnloadable, Severity.Error, "x/parent", chain, None, None, new Fact.AncestorUnloadable(chain, ancestor));
        var store = LayerFunctional.Graph.LayerStore.Empty with
        {
            SkippedLayers = Seq(new LayerFunctional.Graph.SkippedLayer(chain, ProblemKind.AncestorUnloadable, "x/parent"),
                new LayerFunctional.Graph.SkippedLayer(ancestor, ProblemKind.SizeInvalid, "y/size")),
        };
        // The ancestor's problem is not in the list: no cause is named.
        Assert.True(RootCauses.Link(Seq1(symptom), store, Empty)[0].CausedBy.IsNone);
        var cause = new Problem(ProblemKind.SizeInvalid, Severity.Error, "y/size", ancestor, None, None, new Fact.LayerDbUnlistable("x"));
        var linked = RootCauses.Link(Seq(symptom, cause), store, Empty);
        Assert.Equal(Some(new ProblemCause(ProblemKind.SizeInvalid, "y/size")), linked[0].CausedBy);
        Assert.True(linked[1].CausedBy.IsNone);
    }

    // ---- overlay2 lower entries ----

    private static GeneratedLayer WithChild(GeneratedRoot model) =>
        model.Layers.Find(l => model.Layers.Exists(c => c.Parent == Some(l.ChainID))).IfNone(() => throw new Xunit.Sdk.XunitException("no layer with a child"));

    private static Seq<(ProblemKind, string, Option<ProblemCause>)> LowerProblems(CheckReport report) =>
        report.Problems.Filter(p => p.Kind == ProblemKind.OverlayLowerEntryInvalid).Map(p => (p.Kind, p.Path, p.CausedBy)).Strict();

    [Fact]
    public void Lower_entries_through_a_missing_short_link_are_symptoms_of_that_link()
    {
        var model = RootGenerator.Generate(21, new GeneratorOptions(Layers: 6, Mounts: 1, Images: 1));
        var layer = WithChild(model);
        var link = "overlay2/l/" + layer.OverlayLink;
        var report = Check(model.Without(link));
        var cause = new ProblemCause(ProblemKind.OverlayLinkSymlinkMissing, link);
        var above = model.Layers.Filter(l => l.OverlayLower.Split(':').Contains("l/" + layer.OverlayLink)).Map(l => $"overlay2/{l.CacheID}/lower");
        var lowers = LowerProblems(report);
        Assert.NotEmpty(lowers);
        Assert.Superset(above.ToHashSet(), lowers.Map(l => l.Item2).ToHashSet());
        Assert.All(lowers, l => Assert.Equal(Some(cause), l.Item3));
        Assert.True(Assert.Single(report.Problems, p => p.Path == link).CausedBy.IsNone);
    }

    [Fact]
    public void Lower_entries_through_a_link_to_a_folder_that_is_gone_are_symptoms_of_the_missing_folder()
    {
        var model = RootGenerator.Generate(23, new GeneratorOptions(Layers: 6, Mounts: 1, Images: 1));
        var layer = WithChild(model);
        var folder = "overlay2/" + layer.CacheID;
        // The folder is gone; its l/ link stays, dangling.
        var report = Check(model.Without(folder));
        var lowers = LowerProblems(report);
        Assert.NotEmpty(lowers);
        Assert.All(lowers, l => Assert.Equal(Some(new ProblemCause(ProblemKind.CacheDirMissing, folder)), l.Item3));
        // The dangling link itself is its own finding (for the clean-up plan), not a cause of the lower entries.
        Assert.Contains(report.Problems, p => p.Kind == ProblemKind.OverlaySymlinkDangling && p.Path == "overlay2/l/" + layer.OverlayLink);
    }

    [Fact]
    public void A_lower_entry_nothing_explains_leaves_the_lower_file_a_root_cause()
    {
        var model = Corrupters.Generate(25, new GeneratorOptions(4, 1, 1), Seq(ProblemKind.InitDirMissing, ProblemKind.OverlayLowerEntryInvalid))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var report = Check(model);
        var init = Assert.Single(report.Problems, p => p.Kind == ProblemKind.InitDirMissing);
        var rw = report.Problems.Find(p => p.Kind == ProblemKind.OverlayLowerEntryInvalid && p.Mount.IsNone && p.Path.StartsWith("overlay2/" + init.CacheId.IfNone("")[..^5], StringComparison.Ordinal));
        // The mount's read-write folder sits on the missing init folder: a symptom of it.
        Assert.Equal(Some(Some(new ProblemCause(ProblemKind.InitDirMissing, init.Path))), rw.Map(p => p.CausedBy));
        // The corrupter's "l/NOPE" names no link and no missing folder below: a root cause.
        var nope = model.Expected.Problems.Filter(p => p.Kind == ProblemKind.OverlayLowerEntryInvalid).Map(p => p.Path).Except(rw.Map(p => p.Path)).ToList();
        Assert.NotEmpty(nope);
        Assert.All(nope, path => Assert.True(Assert.Single(report.Problems, p => p.Path == path).CausedBy.IsNone));
    }

    [Fact]
    public void With_l_gone_every_missing_short_link_and_every_lower_through_one_names_l_as_their_root()
    {
        // A lower entry's cause is the missing short link, whose own cause is the missing l/: caused_by skips to the root.
        var model = Corrupters.Generate(8, new GeneratorOptions(Layers: 5, Mounts: 2, Images: 1), Seq1(ProblemKind.OverlayLinkFolderInvalid))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var report = Check(model);
        var root = new ProblemCause(ProblemKind.OverlayLinkFolderInvalid, "overlay2/l");
        Assert.Equal(model.Expected.Problems.Map(p => (p.Kind, p.Path)), report.Problems.Map(p => (p.Kind, p.Path)));
        Assert.Equal(report.Problems.Filter(p => p.Kind != ProblemKind.OverlayLinkFolderInvalid).Map(_ => Some(root)),
            report.Problems.Filter(p => p.Kind != ProblemKind.OverlayLinkFolderInvalid).Map(p => p.CausedBy));
        Assert.Contains(report.Problems, p => p.Kind == ProblemKind.OverlayLowerEntryInvalid);
        Assert.True(report.Problems.Find(p => p.Kind == ProblemKind.OverlayLinkFolderInvalid).Exists(p => p.CausedBy.IsNone));
    }

    [Fact]
    public void A_missing_short_link_is_a_symptom_of_a_missing_l_folder()
    {
        var l = new Problem(ProblemKind.OverlayLinkFolderInvalid, Severity.Warning, "overlay2/l", None, None, None, new Fact.LinkFolderInvalid(true, "overlay2"));
        var link = new Problem(ProblemKind.OverlayLinkSymlinkMissing, Severity.Warning, "overlay2/l/A", None, None, Some("x"), new Fact.LinkNamesUnknown("A", "overlay2"));
        var linked = RootCauses.Link(Seq(link, l), LayerFunctional.Graph.LayerStore.Empty, Empty);
        Assert.Equal(Seq(Some(new ProblemCause(l.Kind, l.Path)), Option<ProblemCause>.None), linked.Map(p => p.CausedBy));
    }
}
