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
    /// <remarks>A removed driver's layerdb is reported beside its home folder's <c>removed_driver_state</c> whatever picked the
    /// driver (report.md: state the daemon ignores is reported where it lies, in each place it lies); a driver another
    /// decision problem names (ambiguous prior state, other driver state) is reported there only.</remarks>
    public static Seq<DriverName> Unused(DriverDecision decision, Seq<DriverName> layerDbDrivers)
    {
        var leftAlone = decision.Outcome == Outcome.GraphdriverNotUsed || decision.SelectedBy == Prelude.Some(SelectedBy.Priority);
        return layerDbDrivers.Filter(d => decision.Name != Prelude.Some(d)
            && (Removed(decision, d) || (leftAlone && !decision.Problems.Exists(p => p.Path == d.Value)))).Strict();
    }

    private static bool Removed(DriverDecision decision, DriverName driver) =>
        decision.Problems.Exists(p => p.Path == driver.Value && p.Kind == ProblemKind.RemovedDriverState);

    /// <summary><c>layerdb_not_used</c> for one of <see cref="Unused"/>'s drivers, and <c>driver_home_missing</c> at the
    /// driver's home when that folder is absent or empty while the layerdb has folders (the layerdb's content is gone with
    /// it: naming the driver is then no advice; <see cref="RootCauses"/> makes the layerdb a symptom of it).</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="decision">The driver decision.</param>
    /// <param name="driver">The driver whose layerdb is left alone.</param>
    /// <param name="layers">Entries of its <c>sha256/</c>.</param>
    /// <param name="mounts">Entries of its <c>mounts/</c>.</param>
    /// <param name="home">What is at <c>&lt;root&gt;/&lt;driver&gt;</c>.</param>
    public static Seq<Problem> NotUsed(MobyVersion version, DriverDecision decision, DriverName driver, int layers, int mounts, DriverHomeState home)
    {
        var layerDb = $"image/{driver}/layerdb";
        var homeMissing = home is DriverHomeState.Absent or DriverHomeState.EmptyDirectory && layers + mounts > 0;
        var why = Removed(decision, driver) ? LayerDbIgnored.DriverRemoved : homeMissing ? LayerDbIgnored.DriverHomeMissing : LayerDbIgnored.ByTheRules;
        var notUsed = new Problem(ProblemKind.LayerdbNotUsed, Severity.Error, layerDb, Prelude.None, Prelude.None, Prelude.None,
            new Fact.LayerDbNotUsed(layers, mounts, version, decision.Outcome == Outcome.GraphdriverNotUsed, decision.Name, driver, why));
        return why == LayerDbIgnored.DriverHomeMissing
            ? Prelude.Seq(new Problem(ProblemKind.DriverHomeMissing, Severity.Error, driver.Value, Prelude.None, Prelude.None, Prelude.None,
                new Fact.DriverHomeMissing(Empty: home == DriverHomeState.EmptyDirectory, layerDb, layers, mounts, Loaded: false)), notUsed)
            : Prelude.Seq1(notUsed);
    }

    /// <summary><c>layerdb_absent</c>: the chosen driver's layerdb does not exist (moby would create it; this tool creates nothing).</summary>
    /// <param name="layerDb">The layerdb, relative to the root.</param>
    public static Problem Absent(string layerDb) =>
        new(ProblemKind.LayerdbAbsent, Severity.Info, layerDb, Prelude.None, Prelude.None, Prelude.None, new Fact.LayerDbAbsent());
}
