using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>Which layerdbs the chosen rules leave alone (<c>layerdb_not_used</c>), and the absent layerdb.</summary>
public class LayerDbUseTests
{
    private static readonly MobyVersion V29 = MobyVersion.Parse("29.0").IfLeft(e => throw new ArgumentException(e));
    private static readonly Seq<string> WithLayerDbs = Seq("btrfs", "overlay2", "vfs");

    private static DriverDecision Decision(Option<string> name, Option<SelectedBy> by, Outcome outcome, params Problem[] problems) =>
        new(name, by, Empty, outcome, "reason", toSeq(problems));

    [Fact]
    public void Under_the_containerd_store_every_layerdb_is_unused() =>
        Assert.Equal(WithLayerDbs, LayerDbUse.Unused(Decision(None, None, Outcome.GraphdriverNotUsed), WithLayerDbs));

    [Fact]
    public void A_driver_picked_by_priority_leaves_the_others_alone() =>
        Assert.Equal(Seq("btrfs", "vfs"), LayerDbUse.Unused(Decision(Some("overlay2"), Some(SelectedBy.Priority), Outcome.Loaded), WithLayerDbs));

    [Theory]
    [InlineData(SelectedBy.PriorState)]
    [InlineData(SelectedBy.Explicit)]
    public void A_driver_chosen_by_state_or_by_name_reports_the_others_elsewhere(SelectedBy by) =>
        Assert.Empty(LayerDbUse.Unused(Decision(Some("overlay2"), Some(by), Outcome.Loaded), WithLayerDbs));

    [Fact]
    public void A_driver_another_problem_names_is_not_reported_twice()
    {
        var removed = new Problem(ProblemKind.RemovedDriverState, Severity.Error, "btrfs", None, None, None, new Fact.RemovedDriverState("btrfs", V29));
        Assert.Equal(Seq("overlay2", "vfs"), LayerDbUse.Unused(Decision(None, None, Outcome.GraphdriverNotUsed, removed), WithLayerDbs));
    }

    [Fact]
    public void Not_used_names_the_layerdb_with_its_counts_and_the_store_in_use()
    {
        var containerd = LayerDbUse.NotUsed(V29, Decision(None, None, Outcome.GraphdriverNotUsed), "vfs", 3, 1);
        Assert.Equal(new Problem(ProblemKind.LayerdbNotUsed, Severity.Error, "image/vfs/layerdb", None, None, None,
            new Fact.LayerDbNotUsed(3, 1, V29, ContainerdStore: true, None)), containerd);
        var priority = LayerDbUse.NotUsed(V29, Decision(Some("overlay2"), Some(SelectedBy.Priority), Outcome.Loaded), "vfs", 0, 2);
        Assert.Equal(new Fact.LayerDbNotUsed(0, 2, V29, ContainerdStore: false, Some("overlay2")), priority.Fact);
    }

    [Fact]
    public void Absent_is_information_at_the_layerdb_path() =>
        Assert.Equal(new Problem(ProblemKind.LayerdbAbsent, Severity.Info, "image/overlay2/layerdb", None, None, None, new Fact.LayerDbAbsent()),
            LayerDbUse.Absent("image/overlay2/layerdb"));
}
