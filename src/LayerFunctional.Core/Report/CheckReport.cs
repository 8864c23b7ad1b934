using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>
/// The result of checking one docker root: which driver moby picks and why, how its start-up ends,
/// the layer store it would hold, and every problem, in report.md's shape.
/// </summary>
/// <param name="Root">The docker root as given by the user.</param>
/// <param name="Moby">The moby release whose rules were applied.</param>
/// <param name="Driver">The graph-driver decision.</param>
/// <param name="Outcome">How the daemon's start-up ends.</param>
/// <param name="LayerDb">The layerdb that was loaded, relative to the root; None when none was.</param>
/// <param name="Store">What loads (empty unless a layerdb was loaded).</param>
/// <param name="Problems">Every problem, sorted by path, then kind.</param>
/// <param name="Hints">Options that load a layerdb these rules leave alone (see <see cref="LoadHints"/>).</param>
public sealed record CheckReport(
    string Root, MobyVersion Moby, DriverDecision Driver, Outcome Outcome, Option<string> LayerDb, LayerStore Store, Seq<Problem> Problems,
    Seq<string> Hints)
{
    /// <summary>report.md's exit code: 1 when any problem has severity error, else 0.</summary>
    public int ExitCode => Problems.Exists(p => p.Severity == Severity.Error) ? 1 : 0;

    /// <summary>Combines a driver decision with the load of its layerdb (None when the decision stops
    /// start-up before any layerdb is loaded).</summary>
    /// <param name="root">The docker root as given.</param>
    /// <param name="version">Rule set.</param>
    /// <param name="driver">The driver decision.</param>
    /// <param name="layerDb">The layerdb path loaded, if any.</param>
    /// <param name="load">Its load result, if any.</param>
    /// <param name="extraProblems">Further problems found by the shell (e.g. an absent layerdb).</param>
    /// <param name="layerDbDrivers">Drivers with an <c>image/&lt;driver&gt;/layerdb</c> folder, for the hints.</param>
    public static CheckReport Assemble(
        string root, MobyVersion version, DriverDecision driver, Option<string> layerDb, Option<LoadResult> load, Seq<Problem> extraProblems,
        Seq<string> layerDbDrivers)
    {
        var outcome = driver.Outcome != Outcome.Loaded
            ? driver.Outcome
            : load.Map(l => l.Outcome switch
            {
                StoreOutcome.Aborted => Outcome.DaemonRefusesToStart,
                StoreOutcome.Crashes => Outcome.DaemonCrashes,
                _ => Outcome.Loaded,
            }).IfNone(Outcome.Loaded);
        var problems = (driver.Problems + load.Map(l => l.Problems).IfNone(Empty) + extraProblems)
            .OrderBy(p => p, Comparer<Problem>.Create(Problem.Compare)).ToSeq().Strict();
        return new CheckReport(root, version, driver, outcome, layerDb, load.Map(l => l.Store).IfNone(LayerStore.Empty), problems,
            LoadHints.For(version, driver, layerDbDrivers));
    }
}

/// <summary>Stable snake_case names of the report's enumerations.</summary>
public static class ReportNames
{
    /// <summary><c>loaded</c>, <c>daemon_refuses_to_start</c>, <c>daemon_crashes</c> or <c>graphdriver_not_used</c>.</summary>
    /// <param name="outcome">An outcome.</param>
    public static string Id(this Outcome outcome) => outcome switch
    {
        Outcome.DaemonRefusesToStart => "daemon_refuses_to_start",
        Outcome.DaemonCrashes => "daemon_crashes",
        Outcome.GraphdriverNotUsed => "graphdriver_not_used",
        _ => "loaded",
    };

    /// <summary><c>explicit</c>, <c>prior_state</c> or <c>priority</c>.</summary>
    /// <param name="selectedBy">A selection rule.</param>
    public static string Id(this SelectedBy selectedBy) => selectedBy switch
    {
        SelectedBy.Explicit => "explicit",
        SelectedBy.PriorState => "prior_state",
        _ => "priority",
    };
}
