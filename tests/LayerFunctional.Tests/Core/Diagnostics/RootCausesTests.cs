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
        Assert.Contains(symptoms, p => p.Kind == ProblemKind.MountParentUnloadable && p.Mount == Some(mount.Name));
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
        var mount = new Problem(ProblemKind.MountParentUnloadable, Severity.Error, "m/parent", chain, "m", None, new Fact.MountParentUnloadable(chain, false));
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
        Assert.True(RootCauses.Link(Seq1(symptom), store)[0].CausedBy.IsNone);
        var cause = new Problem(ProblemKind.SizeInvalid, Severity.Error, "y/size", ancestor, None, None, new Fact.LayerDbUnlistable("x"));
        var linked = RootCauses.Link(Seq(symptom, cause), store);
        Assert.Equal(Some(new ProblemCause(ProblemKind.SizeInvalid, "y/size")), linked[0].CausedBy);
        Assert.True(linked[1].CausedBy.IsNone);
    }
}
