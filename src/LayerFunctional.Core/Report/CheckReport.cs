using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>
/// The result of checking one docker root: which driver moby picks and why, how its start-up ends,
/// the layer store it would hold, images and containers, and every problem, in report.md's shape.
/// </summary>
/// <param name="Root">The docker root as given by the user.</param>
/// <param name="Moby">The moby release whose rules were applied.</param>
/// <param name="Driver">The graph-driver decision.</param>
/// <param name="Outcome">How the daemon's start-up ends.</param>
/// <param name="LayerDb">The layerdb that was loaded, relative to the root; None when none was.</param>
/// <param name="Store">What loads (empty unless a layerdb was loaded).</param>
/// <param name="Images">Image configs and whether moby restores them, sorted by ID.</param>
/// <param name="ImageRefs">Per layer chain ID: how many restored images have it as top layer
/// (the references images add after the store loads, §4.6).</param>
/// <param name="Containers">Container configs by container ID (mount name).</param>
/// <param name="Problems">Every problem, sorted by path, then kind.</param>
/// <param name="Hints">Options that load a layerdb these rules leave alone (see <see cref="LoadHints"/>).</param>
/// <param name="Cleanup">Folders a clean-up could remove, with their sizes (see <see cref="CleanupPlan"/>).</param>
public sealed record CheckReport(
    string Root, MobyVersion Moby, DriverDecision Driver, Outcome Outcome, Option<string> LayerDb, LayerStore Store,
    Seq<ImageInfo> Images, HashMap<ChainID, int> ImageRefs, HashMap<MountName, ContainerInfo> Containers,
    Seq<Problem> Problems, Seq<string> Hints, Seq<CleanupItem> Cleanup)
{
    /// <summary>Content verification (<c>check --content</c>): one verdict per verified layer, in chain-ID order;
    /// None when content was not verified.</summary>
    public Option<Seq<LayerFunctional.Content.LayerContent>> Content { get; init; }

    /// <summary>The containerd image store dockerd uses instead of a layerdb (from 29.0, or with
    /// <c>features.containerd-snapshotter</c>): what it will list; None when the graph driver is used or the store was not found.</summary>
    public Option<Containerd.ContainerdStoreView> Containerd { get; init; }

    /// <summary>Both image stores of the root, when it holds a graph-driver store and a containerd store (issue "Docker 29"):
    /// what each holds and which one dockerd shows; empty when it holds only one.</summary>
    public Seq<ImageStoreSummary> ImageStores { get; init; }

    /// <summary>What <c>features.containerd-migration</c> does at the next start (<see cref="Drivers.MigrationForecast"/>); None
    /// when no layerdb was loaded.</summary>
    public Option<Drivers.MigrationForecast> Migration { get; init; }

    /// <summary>What a repair plan would do (<see cref="RepairPlan"/>), in the order it runs; empty when no layerdb was loaded.</summary>
    public Seq<RepairAction> Repairs { get; init; }

    /// <summary>The layer folders of the layerdb that did not load, with the links their files still give (for the
    /// quarantine); empty when no layerdb was loaded. Not part of the JSON report.</summary>
    public Seq<Diagnostics.UnloadedLayer> Unloaded { get; init; }

    /// <summary>Each image's names from <c>repositories.json</c>: image ID → references (tags first); empty when the file is
    /// absent, not a tag store, or no layerdb was loaded. Not part of the JSON report.</summary>
    public HashMap<string, Seq<string>> ImageReferences { get; init; }

    /// <summary>report.md's exit code: 1 when any problem has severity error, else 0.</summary>
    public int ExitCode => Problems.Exists(p => p.Severity == Severity.Error) ? 1 : 0;

    /// <summary>Bytes held by orphan driver folders: space nobody frees.</summary>
    public long OrphanBytes => Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir).Map(p => p.Bytes.IfNone(0)).Sum();

    /// <summary>Combines a driver decision with the load of its layerdb and the checks beyond it.</summary>
    /// <param name="root">The docker root as given.</param>
    /// <param name="version">Rule set.</param>
    /// <param name="driver">The driver decision.</param>
    /// <param name="loaded">The layerdb path, its load and the further checks; None when the decision stops
    /// start-up before any layerdb is loaded.</param>
    /// <param name="extraProblems">Further problems found by the shell (e.g. an absent layerdb).</param>
    /// <param name="layerDbDrivers">Drivers with an <c>image/&lt;driver&gt;/layerdb</c> folder, for the hints.</param>
    public static CheckReport Assemble(
        string root, MobyVersion version, DriverDecision driver, Option<LoadedLayerDb> loaded, Seq<Problem> extraProblems,
        Seq<DriverName> layerDbDrivers)
    {
        var outcome = driver.Outcome != Outcome.Loaded
            ? driver.Outcome
            : loaded.Map(l => l.Load.Outcome switch
            {
                StoreOutcome.Aborted => Outcome.DaemonRefusesToStart,
                StoreOutcome.Crashes => Outcome.DaemonCrashes,
                _ => l.Checks.DaemonRefuses ? Outcome.DaemonRefusesToStart : l.Checks.DaemonCrashes ? Outcome.DaemonCrashes : Outcome.Loaded,
            }).IfNone(Outcome.Loaded);
        var problems = Diagnostics.RootCauses.Link(
            (driver.Problems + loaded.Map(l => l.Load.Problems + l.Checks.Problems).IfNone(Empty) + extraProblems)
                .OrderBy(p => p, Comparer<Problem>.Create(Problem.Compare)).ToSeq().Strict(),
            loaded.Map(l => l.Load.Store).IfNone(LayerStore.Empty), loaded.Map(l => l.Load.Problems).IfNone(Empty));
        return new CheckReport(root, version, driver, outcome, loaded.Map(l => l.Path), loaded.Map(l => l.Load.Store).IfNone(LayerStore.Empty),
            loaded.Map(l => l.Checks.Images).IfNone(Empty), loaded.Map(l => l.Checks.ImageRefs).IfNone(default(HashMap<ChainID, int>)),
            loaded.Map(l => l.Checks.Containers).IfNone(default(HashMap<MountName, ContainerInfo>)),
            problems,
            // Naming a driver whose home folder is gone would load layers without their data: no hint for it.
            LoadHints.For(version, driver, layerDbDrivers.Filter(d => !problems.Exists(p => p.Kind == ProblemKind.DriverHomeMissing && p.Path == d.Value))),
            loaded.Map(l => l.Checks.Cleanup).IfNone(Empty))
        {
            Repairs = loaded.Map(l => l.Checks.Repairs).IfNone(Empty),
            Unloaded = loaded.Map(l => l.Checks.Unloaded).IfNone(Empty),
            ImageReferences = loaded.Map(l => l.Checks.ImageReferences).IfNone(default(HashMap<string, Seq<string>>)),
        };
    }
}

/// <summary>A layerdb that was loaded, and the checks made around it.</summary>
/// <param name="Path">The layerdb relative to the root.</param>
/// <param name="Load">The load result.</param>
/// <param name="Checks">The checks beyond moby's (orphan problems carry their sizes).</param>
public sealed record LoadedLayerDb(string Path, LoadResult Load, RootCheckResult Checks);

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

    /// <summary><c>restored</c>, <c>kept_without_mount</c>, <c>not_loaded</c>, <c>other_driver</c>, <c>mount_not_loaded</c>,
    /// <c>name_conflict</c> or <c>crashes_daemon</c>.</summary>
    /// <param name="fate">What moby's restore does with a container.</param>
    public static string Id(this ContainerFate fate) => fate switch
    {
        ContainerFate.KeptWithoutMount => "kept_without_mount",
        ContainerFate.NotLoaded => "not_loaded",
        ContainerFate.OtherDriver => "other_driver",
        ContainerFate.MountNotLoaded => "mount_not_loaded",
        ContainerFate.NameConflict => "name_conflict",
        ContainerFate.CrashesDaemon => "crashes_daemon",
        _ => "restored",
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
