using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static LanguageExt.Prelude;

namespace LayerFunctional.Edge;

/// <summary>What to check and under which rules.</summary>
/// <param name="Root">The docker root (default <c>/var/lib/docker</c> in the CLI).</param>
/// <param name="Moby">The moby release whose rules apply.</param>
/// <param name="Driver">A driver named explicitly, as <c>dockerd -s</c> would; None for moby's own choice.</param>
/// <param name="VerifyTarSplit">Read every loaded layer's <c>tar-split.json.gz</c> to the end (on by default).</param>
/// <param name="VerifyContent">Rebuild every loaded layer's tar stream from its tar-split and its driver folder and hash it
/// against its diff ID (<c>--content</c>).</param>
/// <param name="ContentOnly">Verify the content of these layers only (chain IDs or unique prefixes; implies content verification).</param>
/// <param name="ContentProgress">Called now and then with (bytes verified, bytes to verify), from any thread.</param>
public sealed record CheckOptions(string Root, MobyVersion Moby, Option<DriverName> Driver, bool VerifyTarSplit = true,
    bool VerifyContent = false, Seq<string> ContentOnly = default, Option<Action<long, long>> ContentProgress = default)
{
    /// <summary>Drivers the host that will start dockerd cannot run (<c>--host-lacks</c>; see <see cref="DriverSelection.Decide"/>).</summary>
    public Seq<DriverName> HostLacks { get; init; }

    /// <summary>The daemon's <c>daemon.json</c> as parsed (<c>--daemon-config</c>): its <c>storage-driver</c> names the driver when
    /// <see cref="CheckOptions.Driver"/> does not, and <c>features.containerd-snapshotter</c> takes part in the image store
    /// choice (<see cref="ImageStoreChoice.Determine"/>). <see cref="DaemonConfig.None"/> (the default): no such file.</summary>
    public DaemonConfig DaemonConfig { get; init; } = DaemonConfig.None;

    /// <summary>The root of the containerd dockerd uses when it is not the one dockerd starts itself (<c>--containerd-root</c>):
    /// a system containerd's (<c>/var/lib/containerd</c>, what dockerd started with <c>--containerd=/run/containerd/containerd.sock</c>
    /// uses, as Docker's own packages do). None: <c>&lt;root&gt;/containerd/daemon</c> (<see cref="Checker.ManagedContainerdRoot"/>).</summary>
    public Option<string> ContainerdRoot { get; init; }

    /// <summary><c>DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD</c> in the environment dockerd starts with (<c>--migrate-threshold</c>):
    /// with <c>features.containerd-migration</c>, the most the images' top layers may hold for the migration to run
    /// (<see cref="MigrationForecast.ThresholdBytes"/>). None: unset (0: only a store without images migrates).</summary>
    public Option<string> MigrationThreshold { get; init; }

    /// <summary>Whether orphan and clean-up folders are measured (<c>du</c>-like walks); lookups that print no size turn it off.</summary>
    public bool MeasureSizes { get; init; } = true;

    /// <summary>Receives progress on long reads; null for none (the CLI shows it on a terminal).</summary>
    public IProgress<ReadProgress>? Progress { get; init; }

    /// <summary>Whether the whole process's heap is compacted, and its free space returned to the system, once the root is read
    /// and before the checks run (a blocking full collection): for a process that owns its memory and checks one large root,
    /// as the CLI does; off by default, so that a library caller's process is not collected for it.</summary>
    public bool CompactAfterRead { get; init; }
}

/// <summary>
/// The shell's one entry point: read the root, let the core pick the driver and load the layerdb,
/// log moby's debug lines, and return the report.
/// </summary>
public static class Checker
{
    /// <summary>Checks a docker root.</summary>
    /// <param name="options">Root, rule set and explicit driver.</param>
    /// <param name="logger">Receives moby's debug lines ("Failed to load layer …") and progress; may be null.</param>
    /// <returns>Right: the report. Left: why the root itself cannot be read (exit code 2).</returns>
    public static Either<string, CheckReport> Check(CheckOptions options, ILogger? logger = null)
    {
        if (string.IsNullOrWhiteSpace(options.Root)) return "the docker root is an empty path";
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Root));
        return CheckFileSystem(options, full, new PhysicalRootFileSystem(full), logger);
    }

    /// <summary>Checks a generated root held in memory, through the same reader as a root on disk
    /// (<see cref="InMemoryRootFileSystem"/>): the report equals that of the same root written to disk, except
    /// for <see cref="CheckReport"/>'s root path, which is <paramref name="options"/>' <c>Root</c>.</summary>
    /// <param name="options">Rule set, explicit driver, tar-split verification; <c>Root</c> is only echoed.</param>
    /// <param name="model">The generated root.</param>
    /// <param name="logger">Receives moby's debug lines; may be null.</param>
    public static Either<string, CheckReport> CheckGenerated(CheckOptions options, LayerFunctional.Generation.GeneratedRoot model, ILogger? logger = null) =>
        CheckFileSystem(options, InMemoryRootFileSystem.Root, new InMemoryRootFileSystem(model), logger);

    /// <summary>Why a docker root cannot be read at all (missing, not a folder, unreadable), as every entry point says it.</summary>
    /// <param name="given">The root as the user gave it (echoed in the message).</param>
    /// <param name="full">Its absolute path in <paramref name="fs"/>.</param>
    /// <param name="fs">The file system.</param>
    /// <returns>Some(message) when the root cannot be read; None when it lists.</returns>
    internal static Option<string> RootError(string given, string full, IRootFileSystem fs)
    {
        switch (fs.OfTarget(full))
        {
            case FileType.Missing: return $"{given} does not exist";
            case FileType.Directory: break;
            case FileType.Unreadable: return $"{given} cannot be read";
            default: return $"{given} is not a directory";
        }
        try
        {
            _ = fs.List(full).FirstOrDefault();
            return None;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{given} cannot be read: {e.Message}";
        }
    }

    /// <summary>Checks a docker root read through any <see cref="IRootFileSystem"/> (which the check disposes).</summary>
    /// <param name="options">Rule set, explicit driver, tar-split verification; <c>Root</c> is echoed in the report.</param>
    /// <param name="full">The root's absolute path in that file system.</param>
    /// <param name="fs">The file system.</param>
    /// <param name="logger">Receives moby's debug lines; may be null.</param>
    /// <returns>Right: the report. Left: why the root itself cannot be read.</returns>
    public static Either<string, CheckReport> CheckFileSystem(CheckOptions options, string full, IRootFileSystem fs, ILogger? logger = null)
    {
        using var reader = new DockerRootReader(full, fs) { Progress = options.Progress };
        var log = logger ?? NullLogger.Instance;
        if (RootError(options.Root, full, fs).TrySome(out var rootError)) return rootError;

        var started = Start(options, reader, log);
        return started.Store.Match(
            Some: store => Finish(options, reader, started, store),
            None: () => Right<string, CheckReport>(started.Decision.Snapshotter.Match(
                Some: snapshotter => WithContainerdStore(options, reader, started, snapshotter),
                None: () => started.Report(options, RootCheckResult.None))));
    }

    /// <summary>Where dockerd keeps the containerd it starts itself (moby <c>daemon/command/daemon.go</c>:
    /// <c>&lt;data-root&gt;/containerd/daemon</c>).</summary>
    public const string ManagedContainerdRoot = Containerd.ContainerdStoreSnapshot.ManagedRoot;

    // The containerd image store in use: read in the shell, checked in the core, its findings beside the decision's.
    internal static CheckReport WithContainerdStore(CheckOptions options, DockerRootReader reader, Started started, string snapshotter)
    {
        var containerd = ReadContainerd(options, reader, snapshotter);
        var (view, problems) = Containerd.ContainerdChecks.Check(containerd);
        // --content: every blob file with a record is hashed against its digest (the store's own reader when given apart).
        if (options.VerifyContent && view.Exists(v => v.Found))
            problems += ContainerdBlobHashes(options, reader, containerd, view.Map(v => v.BlobSizes).IfNone(default(HashMap<string, Option<long>>)), problems);
        // The graph-driver store dockerd no longer shows (a host upgraded to 29): its images beside the containerd store's.
        // Container configs are read once, with that store's image configs when there is one.
        var hiddenDriver = ImageStoreChoice.HiddenGraphDriver(started.Decision, started.LayerDbDrivers);
        var configs = reader.ReadImageAndContainerConfigs(hiddenDriver.IfNone(new DriverName(snapshotter)), withImages: hiddenDriver.IsSome);
        var hidden = hiddenDriver.Bind(driver => GraphDriverStore(options, reader, driver, configs));
        var stores = view.Filter(v => v.Found).Map(v => ImageStores.OfContainerd(v, shown: true)).ToSeq() + hidden.ToSeq();
        var (migration, _) = MigrationForecast.Of(options.Moby, options.DaemonConfig, options.MigrationThreshold, started.Decision,
            LayerStore.Empty, Empty, default, Empty, 0, "");
        // Snapshot folders no record names are for the clean-up plan, measured once named.
        var orphans = Containerd.ContainerdChecks.OrphanSnapshotFolders(problems);
        var sizes = options.MeasureSizes && !orphans.IsEmpty ? MeasureContainerd(options, reader, orphans) : [];
        (problems, var cleanup) = Containerd.ContainerdChecks.WithOrphanSizes(problems, sizes);
        // The containers dockerd restores: their read-write layers are snapshots and leases of the store.
        var restore = view.Filter(v => v.Found).Map(v => Containerd.ContainerdContainers.Restore(options.Moby, v, configs.Containers));
        problems += restore.Map(r => r.Problems).IfNone(Empty);
        return (started with { Extra = started.Extra + problems }).Report(options, RootCheckResult.None) with
        {
            Containers = restore.Map(r => toHashMap(r.Containers.Map(c => (c.Id, c)))).IfNone(default(HashMap<MountName, ContainerInfo>)),
            Cleanup = cleanup,
            Containerd = view,
            Migration = migration,
            ImageStores = hidden.IsSome ? stores.Strict() : Empty,
        };
    }

    // The containerd store's reader, where the store is under it, and how its paths are shown: the docker root's reader with
    // containerd/daemon (shown as it is), or a reader of the root given apart (the same confinement: nothing outside it is
    // followed) with "." (shown as the absolute path).
    private static T OnContainerd<T>(CheckOptions options, DockerRootReader reader, Func<DockerRootReader, string, string, T> use)
    {
        if (!options.ContainerdRoot.TrySome(out var dir)) return use(reader, ManagedContainerdRoot, ManagedContainerdRoot);
        var full = Path.GetFullPath(dir).TrimEnd('/');
        using var apart = new DockerRootReader(full, new PhysicalRootFileSystem(full));
        return use(apart, ".", full);
    }

    // The containerd store, its paths as shown.
    private static Containerd.ContainerdStoreSnapshot ReadContainerd(CheckOptions options, DockerRootReader reader, string snapshotter) =>
        OnContainerd(options, reader, (r, at, shown) => r.ReadContainerdStore(at, snapshotter) with { Root = shown });

    // Bytes under each shown path of the containerd store.
    private static Dictionary<string, long> MeasureContainerd(CheckOptions options, DockerRootReader reader, Seq<string> shownPaths) =>
        OnContainerd(options, reader, (r, at, shown) => shownPaths.Distinct().ToDictionary(p => p, p => r.MeasureBytes(at + p[shown.Length..]), StringComparer.Ordinal));

    private static Seq<Problem> ContainerdBlobHashes(CheckOptions options, DockerRootReader reader, Containerd.ContainerdStoreSnapshot store,
        HashMap<string, Option<long>> sizes, Seq<Problem> found)
    {
        var blobs = Containerd.ContainerdChecks.BlobsToHash(store, sizes, found);
        var hashes = OnContainerd(options, reader, (r, at, _) => r.HashBlobs(at + "/io.containerd.content.v1.content/blobs/sha256", blobs));
        return Containerd.ContainerdChecks.BlobContent(store, sizes, hashes);
    }

    // The graph-driver store beside a containerd store dockerd uses (ImageStoreChoice.HiddenGraphDriver): its layerdb, loaded
    // with its images (from the configs read), not checked.
    private static Option<ImageStoreSummary> GraphDriverStore(CheckOptions options, DockerRootReader reader, DriverName driver, RootSnapshot configs)
    {
        var layerDb = reader.ReadLayerDb(driver, options.Moby);
        if (!layerDb.Exists) return None;
        var load = LayerStoreLoad.Load(layerDb);
        var checks = RootChecks.Run(options.Moby, driver, layerDb, load, configs);
        return Some(ImageStores.OfGraphDriver(driver, layerDb.RelativePath, shown: false, checks.Images, checks.ImageReferences, load.Store));
    }

    /// <summary>The chosen driver's layerdb as read, and its load.</summary>
    /// <param name="Driver">The chosen driver.</param>
    /// <param name="LayerDb">Its layerdb, parsed as read.</param>
    /// <param name="Load">moby's load of it.</param>
    internal sealed record LoadedStore(DriverName Driver, LayerDbRead LayerDb, LoadResult Load);

    /// <summary>How far start-up goes: the driver decision, the shell's layerdb findings, and the load.</summary>
    /// <param name="Decision">The driver decision.</param>
    /// <param name="LayerDbPath">The chosen driver's layerdb relative to the root; None when no driver is chosen.</param>
    /// <param name="Load">Its load; None when no driver is chosen.</param>
    /// <param name="Extra">Problems the layerdb's use and absence give (<see cref="LayerDbUse"/>).</param>
    /// <param name="LayerDbDrivers">Drivers with a layerdb folder, for the hints.</param>
    /// <param name="Store">The loaded store when the rest of the root is to be compared with it; None when no layerdb
    /// loads, it is absent, or moby cannot open it.</param>
    internal sealed record Started(DriverDecision Decision, Option<string> LayerDbPath, Option<LoadResult> Load, Seq<Problem> Extra,
        Seq<DriverName> LayerDbDrivers, Option<LoadedStore> Store)
    {
        /// <summary>The report of this start with <paramref name="checks"/> beside the load (or <paramref name="costed"/>,
        /// the load with image and container costs, when given).</summary>
        public CheckReport Report(CheckOptions options, RootCheckResult checks, Option<LoadResult> costed = default)
        {
            var load = costed.IsSome ? costed : Load;
            return CheckReport.Assemble(options.Root, options.Moby, Decision,
                LayerDbPath.Bind(path => load.Map(l => new LoadedLayerDb(path, l, checks))), Extra, LayerDbDrivers);
        }
    }

    /// <summary>The driver decision and, when it lets start-up go on, the layerdb read and loaded, with moby's debug lines
    /// logged (what every entry point does first).</summary>
    internal static Started Start(CheckOptions options, DockerRootReader reader, ILogger log)
    {
        var homes = reader.ReadDriverHomes();
        var decision = DriverSelection.Decide(options.Moby, options.Driver || options.DaemonConfig.StorageDriver, homes, options.HostLacks,
            options.DaemonConfig.ContainerdSnapshotter);
        Log.DriverChosen(log, decision.Name.Map(n => n.Value).IfNone("(none)"), decision.Reason);
        // Listed once: the hints and the unused-layerdb check both need it.
        var layerDbDrivers = reader.LayerDbDrivers();
        var unused = LayerDbUse.Unused(decision, layerDbDrivers)
            .Bind(d =>
            {
                var (layers, mounts) = reader.CountLayerDb(d);
                return LayerDbUse.NotUsed(options.Moby, decision, d, layers, mounts, homes.Find(d).IfNone(DriverHomeState.Absent));
            })
            .Strict();
        if (decision.Outcome != Outcome.Loaded || !decision.Name.TrySome(out var driver))
            return new Started(decision, None, None, unused, layerDbDrivers, None);

        var snapshot = reader.ReadLayerDb(driver, options.Moby);
        Log.LayerDbRead(log, snapshot.RelativePath, snapshot.Layers.Count, snapshot.MountFolders.Count);
        var load = LayerStoreLoad.Load(snapshot);
        foreach (var s in load.Store.SkippedLayers) Log.FailedToLoadLayer(log, s.ChainID.ToString(), s.Kind.Id(), s.Path);
        foreach (var s in load.Store.SkippedMounts) Log.FailedToLoadMount(log, s.Name.Value, s.Kind.Id(), s.Path);
        var extra = unused + (snapshot.Exists ? Empty : Seq1(LayerDbUse.Absent(snapshot.RelativePath)));
        // Without a layerdb, or with one moby cannot open, there is nothing to compare the rest of the root with.
        return new Started(decision, snapshot.RelativePath, load, extra, layerDbDrivers,
            !snapshot.Exists || load.Outcome == StoreOutcome.Aborted ? None : Some(new LoadedStore(driver, snapshot, load)));
    }

    // The reading is over and its garbage dead (paths, listings, file bytes: ~500 MB allocated at 100,000 layers, 30 MB of it
    // left in the heap): one compacting collection that gives the free space back to the system keeps the checks, the run's
    // peak, from stacking their working sets on it. Measured (Native AOT, 5 alternating runs): peak RSS at 100,000 layers
    // 150 -> 144 MB, CPU time unchanged within noise; at 10,000 layers no change in either.
    private static void ReturnReadGarbage() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>Everything after the load: the rest of the root read, every check, folder sizes, content when asked,
    /// image and container costs.</summary>
    internal static Either<string, CheckReport> Finish(CheckOptions options, DockerRootReader reader, Started started, LoadedStore store)
    {
        var (driver, snapshot, load) = store;
        var tarSplitFolders = options.VerifyTarSplit
            ? load.Store.Layers.Map(l => l.ChainID)
                .Filter(k => snapshot.Layers.Find(k).Exists(d => d.HasTarSplit))
            : Empty;
        var rootSnapshot = reader.ReadRoot(driver, snapshot, tarSplitFolders);
        if (options.CompactAfterRead) ReturnReadGarbage();
        var checks = RootChecks.Run(options.Moby, driver, snapshot, load, rootSnapshot);
        // Folders are measured only once the core has named them; lookups that print no size measure none.
        var sizes = options.MeasureSizes
            ? Some<IReadOnlyDictionary<string, long>>(GraphDriverCheck.FoldersToMeasure(checks).ToDictionary(p => p, reader.MeasureBytes, StringComparer.Ordinal))
            : None;
        var content = Option<Seq<LayerFunctional.Content.LayerContent>>.None;
        if (options.VerifyContent || !options.ContentOnly.IsEmpty)
        {
            var selected = LayerFunctional.Content.ContentChecks.Select(load.Store, options.ContentOnly);
            if (selected.TryLeft(out var notFound)) return notFound;
            content = ContentReader.VerifyLayers(reader, driver, snapshot, rootSnapshot, selected.IfLeft(Seq<Layer>()), options.ContentProgress);
        }
        return GraphDriverCheck.Complete(new GraphDriverReads(options.Root, options.Moby, started.Decision, driver, snapshot, load,
            started.Extra, started.LayerDbDrivers, checks)
        {
            Sizes = sizes,
            Content = content,
            Containerd = Containerd.ContainerdChecks.Check(ReadContainerd(options, reader, Containerd.ContainerdStoreSnapshot.DefaultSnapshotter)).View,
            DaemonConfig = options.DaemonConfig,
            MigrationThreshold = options.MigrationThreshold,
        });
    }
}
