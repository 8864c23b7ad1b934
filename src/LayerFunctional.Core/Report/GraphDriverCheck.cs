using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Content;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>
/// Everything the shell read of a root whose chosen layerdb loaded, once the checks (<see cref="RootChecks.Run(MobyVersion, DriverName, LayerDbRead, LoadResult, RootSnapshot)"/>) have
/// named what to measure and read: the input of <see cref="GraphDriverCheck.Complete"/>.
/// </summary>
/// <param name="Root">The docker root as given (echoed in the report).</param>
/// <param name="Moby">The rules that apply.</param>
/// <param name="Decision">The driver decision (<see cref="DriverSelection.Decide"/>).</param>
/// <param name="Driver">The chosen driver.</param>
/// <param name="LayerDb">Its layerdb, as read.</param>
/// <param name="Load">moby's load of it (<see cref="LayerStoreLoad.Load(LayerDbRead)"/>).</param>
/// <param name="Extra">Findings of the layerdbs' use (<see cref="LayerDbUse"/>).</param>
/// <param name="LayerDbDrivers">Drivers with a layerdb folder, in ordinal order (for the hints).</param>
/// <param name="Checks">The checks beyond moby's (<see cref="RootChecks.Run(MobyVersion, DriverName, LayerDbRead, LoadResult, RootSnapshot)"/>).</param>
public sealed record GraphDriverReads(string Root, MobyVersion Moby, DriverDecision Decision, DriverName Driver, LayerDbRead LayerDb,
    LoadResult Load, Seq<Problem> Extra, Seq<DriverName> LayerDbDrivers, RootCheckResult Checks)
{
    /// <summary>Apparent bytes under each folder of <see cref="GraphDriverCheck.FoldersToMeasure"/>, by path relative to the
    /// root; None when nothing was measured (the lookups print no size): sizes then stay unknown.</summary>
    public Option<IReadOnlyDictionary<string, long>> Sizes { get; init; }

    /// <summary>The verdict on each layer's content (<c>check --content</c>, <c>--content-only</c>); None when not asked.</summary>
    public Option<Seq<LayerContent>> Content { get; init; }

    /// <summary>The containerd store beside the graph driver's (<see cref="ContainerdChecks.Check"/> of
    /// <c>containerd/daemon</c>, or of <c>--containerd-root</c>); None when it was not read.</summary>
    public Option<ContainerdStoreView> Containerd { get; init; }

    /// <summary>The daemon's <c>daemon.json</c> (its <c>features.containerd-migration</c>).</summary>
    public DaemonConfig DaemonConfig { get; init; } = DaemonConfig.None;

    /// <summary><c>DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD</c> as given (<see cref="MigrationForecast.ThresholdBytes"/>).</summary>
    public Option<string> MigrationThreshold { get; init; }
}

/// <summary>
/// The graph-driver check's last pure step: from what the shell read and measured (<see cref="GraphDriverReads"/>) to the
/// report. The shell reads (driver homes, layerdb, the rest of the root), calls <see cref="RootChecks.Run(MobyVersion, DriverName, LayerDbRead, LoadResult, RootSnapshot)"/>, measures the
/// folders <see cref="FoldersToMeasure"/> names, verifies content when asked, reads the containerd store beside it, and
/// hands everything to <see cref="Complete"/>, which makes every further decision.
/// </summary>
public static class GraphDriverCheck
{
    /// <summary>The folders whose size the report gives: each clean-up item's and each orphan driver folder's, distinct,
    /// in that order (paths relative to the root).</summary>
    /// <param name="checks">The checks' result.</param>
    public static Seq<string> FoldersToMeasure(RootCheckResult checks) =>
        checks.Cleanup.Map(c => c.Path).Concat(checks.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir).Map(p => p.Path))
            .Distinct(StringComparer.Ordinal).ToSeq().Strict();

    /// <summary>The report: the measured sizes on the orphan findings and the clean-up items, the content findings
    /// (<see cref="ContentChecks.Problems"/>), what <c>features.containerd-migration</c> would do
    /// (<see cref="MigrationForecast.Of"/>), the images and containers each failing layer costs
    /// (<see cref="CascadeCosts.WithImageAndContainerCosts(MobyVersion, LayerDbRead, LoadResult, RootCheckResult)"/>), and
    /// both image stores when a containerd store with images is beside the graph driver's.</summary>
    /// <param name="r">What the shell read.</param>
    public static CheckReport Complete(GraphDriverReads r)
    {
        var measured = r.Sizes.Match(
            Some: sizes => r.Checks with
            {
                Problems = Problem.WithMeasuredBytes(r.Checks.Problems, ProblemKind.OrphanDriverDir, sizes),
                Cleanup = r.Checks.Cleanup.Map(c => c with { Bytes = sizes.TryGetValue(c.Path, out var b) ? Some(b) : None }),
            },
            None: () => r.Checks);
        if (r.Content.TrySome(out var content))
            measured = measured with { Problems = measured.Problems + ContentChecks.Problems(r.Load.Store, content, measured.Images, measured.Containers) };
        // A containerd store beside it (a host that ran 29 with containerd, then went back to a graph driver): its images
        // too, and what features.containerd-migration would do with both.
        var hidden = r.Containerd.Filter(v => v.Found && !v.Images.IsEmpty).Map(v => ImageStores.OfContainerd(v, shown: false));
        var (migration, migrationProblems) = MigrationForecast.Of(r.Moby, r.DaemonConfig, r.MigrationThreshold, r.Decision,
            r.Load.Store, measured.Images, measured.Containers, r.Load.Problems + measured.Problems, hidden.Map(h => h.Images.Count).IfNone(0),
            ContainerdStoreSnapshot.MetaDbUnder(hidden.Map(h => h.Where).IfNone(ContainerdStoreSnapshot.ManagedRoot)));
        measured = measured with { Problems = measured.Problems + migrationProblems };
        var costed = CascadeCosts.WithImageAndContainerCosts(r.Moby, r.LayerDb, r.Load, measured);
        var report = CheckReport.Assemble(r.Root, r.Moby, r.Decision, Some(new LoadedLayerDb(r.LayerDb.RelativePath, costed, measured)), r.Extra,
            r.LayerDbDrivers) with { Migration = migration, Content = r.Content };
        return hidden.Match(
            Some: h => report with
            {
                ImageStores = Seq(ImageStores.OfGraphDriver(r.Driver, r.LayerDb.RelativePath, shown: true, measured.Images, measured.ImageReferences, r.Load.Store), h),
            },
            None: () => report);
    }
}
