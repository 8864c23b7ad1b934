using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Generation;

/// <summary>
/// Every corrupter of the library, alone, on a generated root written to disk: the check reports exactly
/// the problems (kind, path) the corrupter promises, nothing else, and exactly its load result (loaded layers
/// with reference counts, skipped layers, loaded and skipped mounts). The same root checked in memory gives
/// the same report.
/// </summary>
public class CorruptersTests
{
    public static TheoryData<string> Kinds() => new(Corrupters.Kinds.Map(k => k.Id()));

    internal static GeneratedRoot Corrupted(long seed, GeneratorOptions options, params ProblemKind[] kinds) =>
        Corrupters.Generate(seed, options, kinds.ToSeq()).IfLeft(e => throw new InvalidOperationException(e));

    internal static CheckOptions OptionsFor(string root, GeneratedRoot model) =>
        new(root, model.Expected.Moby, model.Expected.Driver, VerifyContent: model.Expected.NeedsContent);

    internal static void AssertAsExpected(GeneratedRoot model, CheckReport report)
    {
        Assert.Equal(model.Expected.Problems.Map(p => (p.Kind.Id(), p.Path)), report.Problems.Map(p => (p.Kind.Id(), p.Path)));
        var load = model.Expected.LoadOf(model);
        Assert.Equal(load.Layers.Map(l => (l.ChainID.ToString(), l.ReferenceCount)).OrderBy(x => x.Item1, StringComparer.Ordinal),
            report.Store.Layers.Map(l => (l.ChainID.ToString(), l.ReferenceCount)).OrderBy(x => x.Item1, StringComparer.Ordinal));
        Assert.Equal(load.SkippedLayers.Map(c => c.ToString()).Order(StringComparer.Ordinal),
            report.Store.SkippedLayers.Map(s => s.ChainID.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(load.Mounts.Order(), report.Store.Mounts.Map(m => m.Name).Order());
        Assert.Equal(load.SkippedMounts.Order(), report.Store.SkippedMounts.Map(m => m.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void One_corrupter_on_disk_gives_exactly_its_problems_and_load(string kind)
    {
        var model = Corrupted(11, new GeneratorOptions(8, 2, 2), Corrupters.ParseKind(kind).IfNone(() => throw new ArgumentException(kind)));
        Assert.Contains(kind, model.Expected.Problems.Map(p => p.Kind.Id()));
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, model).IfLeft(e => throw new InvalidOperationException(e));
        var report = Checker.Check(OptionsFor(dir.Path, model)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        AssertAsExpected(model, report);
        var memory = Checker.CheckGenerated(OptionsFor(dir.Path, model), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(ReportJson.Render(report), ReportJson.Render(memory));
    }

    [Fact]
    public void Every_kind_a_root_can_show_has_a_corrupter()
    {
        // entry_unreadable needs file permissions the model does not carry; the generator writes graph-driver roots, and the
        // containerd store's kinds are made on a real containerd's stores (Core/Containerd/ContainerdChecksTests).
        var all = Enum.GetValues<ProblemKind>().Map(k => k.Id()).Except(["entry_unreadable"])
            .Where(k => !k.StartsWith("containerd_", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(all, Corrupters.Kinds.Map(k => k.Id()));
    }

    [Fact]
    public void Stacked_corrupters_give_the_union_of_their_problems()
    {
        var kinds = Corrupters.Kinds.Filter(k => !Corrupters.Exclusive.Contains(k)).ToArray();
        var model = Corrupted(5, new GeneratorOptions(10, 3, 2), kinds);
        var report = Checker.CheckGenerated(OptionsFor("/model", model), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        AssertAsExpected(model, report);
        Assert.Empty(kinds.Map(k => k.Id()).Except(report.Problems.Map(p => p.Kind.Id())));
    }

    [Fact]
    public void Exclusive_corrupters_do_not_stack_and_unknown_ones_are_refused()
    {
        Assert.True(Corrupters.Generate(1, new GeneratorOptions(), Seq(ProblemKind.LayerdbAbsent, ProblemKind.SizeInvalid)).IsLeft);
        Assert.Equal("no corrupter for entry_unreadable (it needs file permissions the generator does not write)",
            Corrupters.Generate(1, new GeneratorOptions(), Seq1(ProblemKind.EntryUnreadable)).Match(Left: e => e, Right: _ => ""));
    }
}
