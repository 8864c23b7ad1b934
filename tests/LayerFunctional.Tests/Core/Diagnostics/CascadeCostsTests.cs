using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>What a failing layer costs beyond layers and mounts: the images and containers its root cause names.</summary>
public class CascadeCostsTests : RootChecksFixture
{
    [Fact]
    public void A_root_cause_names_the_images_and_containers_it_costs()
    {
        var s = Build();
        var onC = Image(s.DA, s.DC);   // top is ChainID(a, c), no such layer: not counted
        var topB = Image(s.DB);
        var root = RootSnapshot.Empty("overlay2") with
        {
            ImageConfigs = Some(Seq(topB, Image(s.DA), onC)),
            Containers = Some(Seq(Container("m", Cfg("m", "\"Driver\":\"overlay2\"")), Container("o", Cfg("o", "\"Driver\":\"overlay2\"")))),
        };
        Cascade Cost(string moby, RootSnapshot rs)
        {
            var v = V(moby);
            var load = LayerStoreLoad.Load(s.Snap, v);
            var checks = RootChecks.Run(v, "overlay2", s.Snap, load, rs);
            return CascadeCosts.WithImageAndContainerCosts(v, s.Snap, load, checks).Problems
                .Find(p => p.Kind == ProblemKind.SizeInvalid).Map(p => p.Cascade).IfNone(Cascade.None);
        }
        Assert.Equal(new Cascade(1, 2, Images: 1, Containers: 2, ContainersKept: false), Cost("29.0", root));
        Assert.Equal(new Cascade(1, 2, Images: 1, Containers: 2, ContainersKept: true), Cost("29.4", root));
        var twoImages = root with { ImageConfigs = Some(Seq(topB, Image(s.DB) with { Name = new string('f', 64) })), Containers = None };
        Assert.Equal(new Cascade(1, 2, Images: 1), Cost("29.0", twoImages));   // the copy does not verify
        var oneContainer = root with { ImageConfigs = None, Containers = Some(Seq1(Container("m", Cfg("m", "\"Driver\":\"overlay2\"")))) };
        Assert.Equal(new Cascade(1, 2, Containers: 1), Cost("29.0", oneContainer));
        var nothing = root with { ImageConfigs = Some(Seq1(Image(s.DA))), Containers = None };
        var load0 = LayerStoreLoad.Load(s.Snap, V29);
        Assert.Same(load0, CascadeCosts.WithImageAndContainerCosts(V29, s.Snap, load0, RootChecks.Run(V29, "overlay2", s.Snap, load0, nothing)));
        // Other problems are left alone.
        var full = CascadeCosts.WithImageAndContainerCosts(V29, s.Snap, load0, RootChecks.Run(V29, "overlay2", s.Snap, load0, root));
        Assert.Equal(load0.Problems.Filter(p => p.Kind != ProblemKind.SizeInvalid), full.Problems.Filter(p => p.Kind != ProblemKind.SizeInvalid));
    }

    [Fact]
    public void Costs_follow_parent_links_through_ancestors_to_the_root_cause()
    {
        // gone <- p (parent missing) <- q <- r; image on r, container on q.
        var gone = Layer("gone");
        var p = Layer("p", gone.Chain); var q = Layer("q", p.Chain); var r = Layer("r", q.Chain);
        var snap = SnapshotBuilder.Empty.WithLayer(p.Chain.ToString(), p.Files).WithLayer(q.Chain.ToString(), q.Files).WithLayer(r.Chain.ToString(), r.Files)
            .WithMount("box", Map(("mount-id", T(new string('4', 64))), ("parent", T(q.Chain.ToString()))))
            .Build();
        var img = Image(gone.Diff, p.Diff, q.Diff, r.Diff);
        var root = RootSnapshot.Empty("overlay2") with
        {
            ImageConfigs = Some(Seq1(img)),
            Containers = Some(Seq1(Container("box", Cfg("box", "\"Driver\":\"overlay2\"")))),
        };
        var load = LayerStoreLoad.Load(snap, V29);
        var checks = RootChecks.Run(V29, "overlay2", snap, load, root);
        var result = CascadeCosts.WithImageAndContainerCosts(V29, snap, load, checks);
        Assert.Equal(Some(new Cascade(2, 1, Images: 1, Containers: 1)), result.Problems.Find(x => x.Kind == ProblemKind.ParentLayerMissing).Map(x => x.Cascade));
    }
}
