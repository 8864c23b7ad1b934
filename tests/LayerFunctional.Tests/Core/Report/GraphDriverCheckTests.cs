using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Report;

/// <summary>The graph-driver check's last pure step (<see cref="GraphDriverCheck"/>): which folders the shell measures, and the
/// sizes it measured put on the orphan findings and the clean-up items.</summary>
public class GraphDriverCheckTests
{
    private static Problem Orphan(string path) =>
        new(ProblemKind.OrphanDriverDir, Severity.Warning, path, None, None, None, new Fact.OrphanFolder(InLowerChain: false, None));

    [Fact]
    public void The_folders_measured_are_the_cleanup_items_then_the_orphan_folders_each_once()
    {
        var checks = RootCheckResult.None with
        {
            Problems = Seq(Orphan("overlay2/b"), Orphan("overlay2/c")),
            Cleanup = Seq(new CleanupItem("overlay2/c", ProblemKind.OrphanDriverDir, ""), new CleanupItem("image/overlay2/layerdb/tmp/write-set-1", ProblemKind.StaleTransaction, "")),
        };
        Assert.Equal(Seq("overlay2/c", "image/overlay2/layerdb/tmp/write-set-1", "overlay2/b"), GraphDriverCheck.FoldersToMeasure(checks));
        Assert.Empty(GraphDriverCheck.FoldersToMeasure(RootCheckResult.None));
    }

    [Fact]
    public void Measured_sizes_go_on_the_orphan_findings_and_cleanup_items_and_unmeasured_ones_stay_unknown()
    {
        var model = Corrupters.Generate(4, new GeneratorOptions(Layers: 3, Mounts: 0, Images: 1), Seq1(ProblemKind.OrphanDriverDir))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var unmeasured = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None) { MeasureSizes = false }, model)
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var orphan = Assert.Single(unmeasured.Problems, p => p.Kind == ProblemKind.OrphanDriverDir);
        Assert.True(orphan.Bytes.IsNone);
        Assert.All(unmeasured.Cleanup, c => Assert.True(c.Bytes.IsNone));
        var measured = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.True(measured.Problems.Find(p => p.Kind == ProblemKind.OrphanDriverDir).Bind(p => p.Bytes).IsSome);
        Assert.Equal(measured.Cleanup.Map(c => c.Path), unmeasured.Cleanup.Map(c => c.Path));
        Assert.All(measured.Cleanup, c => Assert.True(c.Bytes.IsSome));
        // Sizes aside, the two reports find the same.
        Assert.Equal(unmeasured.Problems.Map(p => (p.Kind, p.Path)), measured.Problems.Map(p => (p.Kind, p.Path)));
    }
}
