using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>Which layerdbs the chosen rules leave alone (<c>layerdb_not_used</c>), and the absent layerdb.</summary>
public class LayerDbUseTests
{
    private static readonly MobyVersion V29 = MobyVersion.Parse("29.0").IfLeft(e => throw new ArgumentException(e));
    private static readonly Seq<DriverName> WithLayerDbs = Seq<DriverName>("btrfs", "overlay2", "vfs");

    private static DriverDecision Decision(Option<DriverName> name, Option<SelectedBy> by, Outcome outcome, params Problem[] problems) =>
        new(name, by, Empty, outcome, "reason", toSeq(problems));

    [Fact]
    public void Under_the_containerd_store_every_layerdb_is_unused() =>
        Assert.Equal(WithLayerDbs, LayerDbUse.Unused(Decision(None, None, Outcome.GraphdriverNotUsed), WithLayerDbs));

    [Fact]
    public void A_driver_picked_by_priority_leaves_the_others_alone() =>
        Assert.Equal(Seq<DriverName>("btrfs", "vfs"), LayerDbUse.Unused(Decision(Some<DriverName>("overlay2"), Some(SelectedBy.Priority), Outcome.Loaded), WithLayerDbs));

    [Theory]
    [InlineData(SelectedBy.PriorState)]
    [InlineData(SelectedBy.Explicit)]
    public void A_driver_chosen_by_state_or_by_name_reports_the_others_elsewhere(SelectedBy by) =>
        Assert.Empty(LayerDbUse.Unused(Decision(Some<DriverName>("overlay2"), Some(by), Outcome.Loaded), WithLayerDbs));

    [Fact]
    public void A_driver_another_problem_names_is_not_reported_twice()
    {
        var other = new Problem(ProblemKind.OtherDriverState, Severity.Warning, "btrfs", None, None, None, new Fact.OtherDriverState("btrfs", "overlay2"));
        Assert.Equal(Seq<DriverName>("overlay2", "vfs"), LayerDbUse.Unused(Decision(None, None, Outcome.GraphdriverNotUsed, other), WithLayerDbs));
    }

    [Theory]
    [InlineData(SelectedBy.PriorState)]
    [InlineData(SelectedBy.Explicit)]
    [InlineData(SelectedBy.Priority)]
    public void A_removed_driver_s_layerdb_is_a_second_finding_beside_its_home_whatever_picked_the_driver(SelectedBy by)
    {
        var removed = new Problem(ProblemKind.RemovedDriverState, Severity.Error, "btrfs", None, None, None, new Fact.RemovedDriverState("btrfs", V29));
        var decision = Decision(Some(DriverName.Overlay2), Some(by), Outcome.Loaded, removed);
        Assert.Equal(by == SelectedBy.Priority ? Seq<DriverName>("btrfs", "vfs") : Seq1<DriverName>("btrfs"), LayerDbUse.Unused(decision, WithLayerDbs));
        Assert.Equal(Seq1(new Problem(ProblemKind.LayerdbNotUsed, Severity.Error, "image/btrfs/layerdb", None, None, None,
                new Fact.LayerDbNotUsed(2, 0, V29, ContainerdStore: false, Some<DriverName>("overlay2"), "btrfs", LayerDbIgnored.DriverRemoved))),
            LayerDbUse.NotUsed(V29, decision, "btrfs", 2, 0, DriverHomeState.NonEmptyDirectory));
        // ... and a symptom of the home's finding.
        var linked = RootCauses.Link(Seq1(removed) + LayerDbUse.NotUsed(V29, decision, "btrfs", 2, 0, DriverHomeState.NonEmptyDirectory), LayerFunctional.Graph.LayerStore.Empty, Empty);
        Assert.Equal(Seq(Option<ProblemCause>.None, Some(new ProblemCause(ProblemKind.RemovedDriverState, "btrfs"))), linked.Map(p => p.CausedBy));
    }

    [Fact]
    public void Not_used_names_the_layerdb_with_its_counts_and_the_store_in_use()
    {
        var containerd = LayerDbUse.NotUsed(V29, Decision(None, None, Outcome.GraphdriverNotUsed), "vfs", 3, 1, DriverHomeState.NonEmptyDirectory);
        Assert.Equal(Seq1(new Problem(ProblemKind.LayerdbNotUsed, Severity.Error, "image/vfs/layerdb", None, None, None,
            new Fact.LayerDbNotUsed(3, 1, V29, ContainerdStore: true, None, "vfs"))), containerd);
        var priority = LayerDbUse.NotUsed(V29, Decision(Some(DriverName.Overlay2), Some(SelectedBy.Priority), Outcome.Loaded), "vfs", 0, 2, DriverHomeState.NonEmptyDirectory);
        Assert.Equal(Seq1<Fact>(new Fact.LayerDbNotUsed(0, 2, V29, ContainerdStore: false, Some<DriverName>("overlay2"), "vfs")), priority.Map(p => p.Fact));
    }

    [Theory]
    [InlineData(DriverHomeState.Absent, false)]
    [InlineData(DriverHomeState.EmptyDirectory, true)]
    public void A_layerdb_left_alone_without_its_driver_s_home_is_a_symptom_of_the_missing_home(DriverHomeState home, bool empty)
    {
        var problems = LayerDbUse.NotUsed(V29, Decision(None, None, Outcome.GraphdriverNotUsed), "overlay2", 3, 1, home);
        Assert.Equal(Seq(
                new Problem(ProblemKind.DriverHomeMissing, Severity.Error, "overlay2", None, None, None,
                    new Fact.DriverHomeMissing(empty, "image/overlay2/layerdb", 3, 1, Loaded: false)),
                new Problem(ProblemKind.LayerdbNotUsed, Severity.Error, "image/overlay2/layerdb", None, None, None,
                    new Fact.LayerDbNotUsed(3, 1, V29, ContainerdStore: true, None, "overlay2", LayerDbIgnored.DriverHomeMissing))),
            problems);
        Assert.Equal(Seq(Option<ProblemCause>.None, Some(new ProblemCause(ProblemKind.DriverHomeMissing, "overlay2"))),
            RootCauses.Link(problems, LayerFunctional.Graph.LayerStore.Empty, Empty).Map(p => p.CausedBy));
        // An empty layerdb has nothing that lost its data.
        Assert.Equal(Seq1(ProblemKind.LayerdbNotUsed), LayerDbUse.NotUsed(V29, Decision(None, None, Outcome.GraphdriverNotUsed), "overlay2", 0, 0, home).Map(p => p.Kind));
    }

    [Fact]
    public void Absent_is_information_at_the_layerdb_path() =>
        Assert.Equal(new Problem(ProblemKind.LayerdbAbsent, Severity.Info, "image/overlay2/layerdb", None, None, None, new Fact.LayerDbAbsent()),
            LayerDbUse.Absent("image/overlay2/layerdb"));
}
