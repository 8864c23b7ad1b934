using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.DaemonTests;

/// <summary>The differential's own logic, without a daemon: cases, prediction and comparison.</summary>
public class DaemonCaseTests
{
    private static readonly MobyVersion Moby = MobyVersion.Parse("20.10").IfLeft(e => throw new InvalidOperationException(e));

    private static CheckReport Check(GeneratedRoot root) =>
        Checker.CheckGenerated(new CheckOptions("/m", Moby, root.Expected.Driver), root).IfLeft(e => throw new InvalidOperationException(e));

    [Fact]
    public void A_turn_holds_every_kind_alone_a_valid_root_and_stacks_without_cycles()
    {
        var turn = Enumerable.Range(0, DaemonCase.Round).Select(n => DaemonCase.Nth(n, n + 1, withCycles: true)).ToArray();
        Assert.Equal(Corrupters.Kinds.Order(), turn.Where(c => c.Corruptions.Count == 1).Select(c => c.Corruptions.Head).Order());
        Assert.Single(turn, c => c.Corruptions.IsEmpty);
        Assert.All(turn.Where(c => c.Corruptions.Count > 1), c => Assert.DoesNotContain(ProblemKind.ParentCycle, c.Corruptions));
        var without = Enumerable.Range(0, DaemonCase.Round).Select(n => DaemonCase.Nth(n, n + 1, withCycles: false)).ToArray();
        Assert.DoesNotContain(without, c => c.Corruptions.Contains(ProblemKind.ParentCycle));
        Assert.Equal(DaemonCase.Nth(5, 99, false), DaemonCase.Nth(5, 99, false));
    }

    [Fact]
    public void The_prediction_of_a_skipped_layer_and_a_crashing_container()
    {
        var root = Corrupters.Generate(8, new GeneratorOptions(6, 2, 2), Seq1(ProblemKind.SizeInvalid)).IfLeft(e => throw new InvalidOperationException(e));
        var predicted = DaemonCase.Predict(Check(root));
        Assert.Equal((StartUp.Started, "overlay2"), (predicted.StartUp, predicted.Driver));
        Assert.Equal(root.Expected.UnloadableLayers.Map(c => c.ToString()), predicted.SkippedLayers);
        Assert.Equal(root.Mounts.Map(m => m.Name.Value).Order(StringComparer.Ordinal), predicted.Containers);

        var crash = Corrupters.Generate(8, new GeneratorOptions(6, 2, 2), Seq1(ProblemKind.ContainerCrashesDaemon)).IfLeft(e => throw new InvalidOperationException(e));
        Assert.Equal(new DaemonAnswer(StartUp.Crashed, "", [], [], [], []), DaemonCase.Predict(Check(crash)));
    }

    [Fact]
    public void Differences_name_what_only_one_side_has()
    {
        var root = Corrupters.Generate(8, new GeneratorOptions(6, 2, 2), default).IfLeft(e => throw new InvalidOperationException(e));
        var report = Check(root);
        var predicted = DaemonCase.Predict(report);
        Assert.True(DaemonCase.Difference(predicted, predicted, report).IsNone);
        var daemon = predicted with { Containers = predicted.Containers[1..], Images = [.. predicted.Images, "sha256:extra"] };
        Assert.Equal($"images: dockerd also sha256:extra; containers: predicted but not dockerd {predicted.Containers[0]}",
            DaemonCase.Difference(predicted, daemon, report).IfNone(""));
        Assert.Equal("start-up: predicted Started, dockerd Crashed",
            DaemonCase.Difference(predicted, predicted with { StartUp = StartUp.Crashed }, report).IfNone(""));
    }

    [Fact]
    public void Containers_in_a_name_conflict_agree_when_dockerd_lists_exactly_one()
    {
        var root = Corrupters.Generate(3, new GeneratorOptions(5, 0, 1), Seq1(ProblemKind.ContainerNameConflict)).IfLeft(e => throw new InvalidOperationException(e));
        var report = Check(root);
        var predicted = DaemonCase.Predict(report);
        var pair = root.Mounts.Map(m => m.Name.Value).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, pair.Length);
        Assert.True(DaemonCase.Difference(predicted, predicted with { Containers = [pair[1]] }, report).IsNone);
        Assert.Equal("containers named /c0: dockerd lists 2 of 2, predicted exactly one",
            DaemonCase.Difference(predicted, predicted with { Containers = pair }, report).IfNone(""));
    }
}
