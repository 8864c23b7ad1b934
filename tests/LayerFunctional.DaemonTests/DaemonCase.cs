using System.Globalization;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.DaemonTests;

/// <summary>One root of the differential run: a seed, sizes and corruptions (what <c>layerfn generate</c> takes).</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Options">Sizes.</param>
/// <param name="Corruptions">Corrupter kinds applied in order (empty for a valid root).</param>
public sealed record DaemonCase(long Seed, GeneratorOptions Options, Seq<ProblemKind> Corruptions)
{
    /// <summary>Corrupter kinds a real daemon is not asked about in the usual run: a parent cycle makes dockerd recurse for
    /// minutes before it dies (the long run includes a few with <c>LAYERFN_DAEMON_CYCLES=N</c>).</summary>
    public static readonly Seq<ProblemKind> SlowKinds = Seq1(ProblemKind.ParentCycle);

    /// <summary>The generated root.</summary>
    public GeneratedRoot Root => Corrupters.Generate(Seed, Options, Corruptions).IfLeft(e => throw new InvalidOperationException(e));

    /// <summary>The arguments of <c>layerfn generate DIR …</c> that write this root.</summary>
    public string Arguments => Root.CommandLine("DIR")["layerfn generate DIR ".Length..];

    /// <summary>The n-th case of a run: valid roots, each corrupter kind alone, and random stacks of two or three stackable
    /// kinds, in turn; sizes from the seed. The same (n, seed) always gives the same case.</summary>
    /// <param name="n">Its number in the run.</param>
    /// <param name="seed">Its seed.</param>
    /// <param name="withCycles">Whether this case's turn through the kinds includes a parent cycle (alone; stacks never hold one).</param>
    /// <summary>How many cases one turn through the kinds takes (each kind alone, one valid root, three stacks).</summary>
    public static int Round => Corrupters.Kinds.Count + 4;

    public static DaemonCase Nth(int n, long seed, bool withCycles)
    {
        var kinds = Corrupters.Kinds.Filter(k => withCycles || !SlowKinds.Contains(k)).Strict();
        var stackable = Corrupters.Kinds.Filter(k => !Corrupters.Exclusive.Contains(k) && !SlowKinds.Contains(k)).Strict();
        var r = SeededRandom.From(seed ^ 0x5eed);
        (var layers, r) = r.Below(10);
        (var mounts, r) = r.Below(4);
        (var images, r) = r.Below(3);
        var options = new GeneratorOptions(Layers: 3 + layers, Mounts: mounts, Images: 1 + images);
        var slot = n % Round;
        if (slot >= kinds.Count + 4) slot = kinds.Count;   // the parent-cycle turn left out: a valid root
        Seq<ProblemKind> corruptions;
        if (slot < kinds.Count) corruptions = Seq1(kinds[slot]);
        else if (slot == kinds.Count) corruptions = Empty;
        else
        {
            (var count, r) = r.Below(2);
            corruptions = Empty;
            for (var i = 0; i < count + 2; i++)
            {
                (var k, r) = r.Below(stackable.Count);
                corruptions = corruptions.Add(stackable[k]);
            }
        }
        return new DaemonCase(seed, options, corruptions);
    }

    /// <summary>Parses <c>--seed N --layers N --mounts N --images N [--corrupt KIND]…</c>.</summary>
    /// <param name="arguments">The arguments.</param>
    public static DaemonCase Parse(string arguments) =>
        GenerateRequest.Parse(arguments).Match(Right: r => new DaemonCase(r.Seed, r.Options, r.Corruptions), Left: e => throw new ArgumentException(e));

    /// <summary>What the check predicts dockerd does with the root (its report for the given rules).</summary>
    /// <param name="report">The check's report.</param>
    public static DaemonAnswer Predict(CheckReport report)
    {
        var started = report.Outcome == Outcome.Loaded;
        string[] Sorted(IEnumerable<string> items) => items.Distinct().Order(StringComparer.Ordinal).ToArray();
        return new DaemonAnswer(
            report.Outcome switch
            {
                Outcome.Loaded => StartUp.Started,
                Outcome.DaemonCrashes => StartUp.Crashed,
                _ => StartUp.Refused,
            },
            started ? report.Driver.Name.Map(n => n.Value).IfNone("") : "",
            started ? Sorted(report.Store.SkippedLayers.Map(s => s.ChainID.ToString())) : [],
            started ? Sorted(report.Store.SkippedMounts.Map(s => s.Name.Value)) : [],
            started ? Sorted(report.Images.Filter(i => i.Loads).Map(i => i.Id)) : [],
            started ? Sorted(report.Containers.Values.Filter(c => c.Listed || c.Fate == ContainerFate.NameConflict).Map(c => c.Id.Value)) : []);
    }

    /// <summary>Where the daemon's answer differs from the prediction; None when they agree. Containers in a name
    /// conflict agree when the daemon lists exactly one of each group (moby's order decides which).</summary>
    /// <param name="predicted">The check's prediction.</param>
    /// <param name="daemon">The daemon's answer.</param>
    /// <param name="report">The check's report (for name-conflict groups).</param>
    public static Option<string> Difference(DaemonAnswer predicted, DaemonAnswer daemon, CheckReport report)
    {
        var why = new List<string>();
        if (predicted.StartUp != daemon.StartUp) why.Add($"start-up: predicted {predicted.StartUp}, dockerd {daemon.StartUp}");
        if (daemon.StartUp == StartUp.Started && predicted.StartUp == StartUp.Started)
        {
            if (predicted.Driver != daemon.Driver) why.Add($"driver: predicted {predicted.Driver}, dockerd {daemon.Driver}");
            Compare("skipped layers", predicted.SkippedLayers, daemon.SkippedLayers);
            Compare("skipped mounts", predicted.SkippedMounts, daemon.SkippedMounts);
            Compare("images", predicted.Images, daemon.Images);
            var conflicts = report.Containers.Values.Filter(c => c.Fate == ContainerFate.NameConflict)
                .GroupBy(c => c.Name.IfNone(""), StringComparer.Ordinal).ToArray();
            var inConflict = conflicts.SelectMany(g => g.Select(c => c.Id.Value)).ToHashSet(StringComparer.Ordinal);
            Compare("containers", predicted.Containers.Where(c => !inConflict.Contains(c)).ToArray(),
                daemon.Containers.Where(c => !inConflict.Contains(c)).ToArray());
            foreach (var g in conflicts)
                if (g.Count(c => daemon.Containers.Contains(c.Id.Value)) != 1)
                    why.Add($"containers named {g.Key}: dockerd lists {g.Count(c => daemon.Containers.Contains(c.Id.Value))} of {g.Count()}, predicted exactly one");
        }
        return why.Count == 0 ? None : Some(string.Join("; ", why));

        void Compare(string what, string[] expected, string[] actual)
        {
            var missing = actual.Except(expected, StringComparer.Ordinal).ToArray();
            var extra = expected.Except(actual, StringComparer.Ordinal).ToArray();
            if (missing.Length > 0) why.Add($"{what}: dockerd also {string.Join(" ", missing)}");
            if (extra.Length > 0) why.Add($"{what}: predicted but not dockerd {string.Join(" ", extra)}");
        }
    }
}
