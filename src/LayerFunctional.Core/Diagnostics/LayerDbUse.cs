using LanguageExt;
using LayerFunctional.Drivers;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// Which layerdbs under <c>image/</c> the chosen rules use: the chosen driver's, when it exists, and none other
/// (layer-store.md §6.2–§6.4: moby opens <c>image/&lt;driver&gt;/layerdb</c> of the driver it picked and nothing else).
/// </summary>
public static class LayerDbUse
{
    /// <summary>Drivers whose layerdb has content that these rules leave alone, when nothing else says so: under 29.0's
    /// containerd store, or when the driver was picked by priority (e.g. a vfs-only root). The shell counts their
    /// folders for <see cref="NotUsed"/>.</summary>
    /// <param name="decision">The driver decision.</param>
    /// <param name="layerDbDrivers">Drivers that have a layerdb with entries, sorted.</param>
    public static Seq<string> Unused(DriverDecision decision, Seq<string> layerDbDrivers) =>
        decision.Outcome != Outcome.GraphdriverNotUsed && decision.SelectedBy != Prelude.Some(SelectedBy.Priority)
            ? Prelude.Empty
            : layerDbDrivers.Filter(d => decision.Name != Prelude.Some(d) && !decision.Problems.Exists(p => p.Path == d)).Strict();

    /// <summary><c>layerdb_not_used</c> for one of <see cref="Unused"/>'s drivers.</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="decision">The driver decision.</param>
    /// <param name="driver">The driver whose layerdb is left alone.</param>
    /// <param name="layers">Entries of its <c>sha256/</c>.</param>
    /// <param name="mounts">Entries of its <c>mounts/</c>.</param>
    public static Problem NotUsed(MobyVersion version, DriverDecision decision, string driver, int layers, int mounts) =>
        new(ProblemKind.LayerdbNotUsed, Severity.Error, $"image/{driver}/layerdb", Prelude.None, Prelude.None, Prelude.None,
            new Fact.LayerDbNotUsed(layers, mounts, version, decision.Outcome == Outcome.GraphdriverNotUsed, decision.Name));

    /// <summary><c>layerdb_absent</c>: the chosen driver's layerdb does not exist (moby would create it; this tool creates nothing).</summary>
    /// <param name="layerDb">The layerdb, relative to the root.</param>
    public static Problem Absent(string layerDb) =>
        new(ProblemKind.LayerdbAbsent, Severity.Info, layerDb, Prelude.None, Prelude.None, Prelude.None, new Fact.LayerDbAbsent());
}
