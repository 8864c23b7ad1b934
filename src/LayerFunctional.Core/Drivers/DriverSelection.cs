using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Drivers;

/// <summary>What the shell saw at <c>&lt;root&gt;/&lt;driver&gt;</c> for a graph-driver name (after following
/// a symbolic link, as <c>os.Stat</c> does).</summary>
public enum DriverHomeState
{
    /// <summary>Nothing there.</summary>
    Absent,
    /// <summary>A folder with no entries.</summary>
    EmptyDirectory,
    /// <summary>A folder with at least one entry.</summary>
    NonEmptyDirectory,
    /// <summary>Something that is not a folder (a regular file counts as prior state: §8).</summary>
    NotADirectory,
    /// <summary>Exists but cannot be opened; moby's <c>isEmptyDir</c> then says "not empty".</summary>
    Unreadable,
}

/// <summary>Which rule of <c>graphdriver.New</c> chose the driver (report.md <c>selected_by</c>).</summary>
public enum SelectedBy
{
    /// <summary>Named with <c>--driver</c> (moby: <c>-s</c>, <c>storage-driver</c>, <c>DOCKER_DRIVER</c>).</summary>
    Explicit,
    /// <summary>The highest-priority driver with prior state under the root.</summary>
    PriorState,
    /// <summary>No prior state: the first usable driver of the priority list.</summary>
    Priority,
}

/// <summary>How the daemon's start-up ends, as the report's <c>outcome</c>.</summary>
public enum Outcome
{
    /// <summary>The layer store loads (possibly with skipped layers and mounts).</summary>
    Loaded,
    /// <summary>The daemon exits during start-up (driver choice or store failure).</summary>
    DaemonRefusesToStart,
    /// <summary>The daemon crashes while loading (a parent cycle).</summary>
    DaemonCrashes,
    /// <summary>This release would not use the graph-driver layer store at all (29.0's containerd store).</summary>
    GraphdriverNotUsed,
}

/// <summary>
/// The graph driver the daemon picks, why, and whether start-up can go on to load its layerdb.
/// </summary>
/// <param name="Name">The driver whose <c>image/&lt;name&gt;/layerdb</c> is loaded; None when none is.</param>
/// <param name="SelectedBy">The rule that picked it (None when none did).</param>
/// <param name="PriorState">Registered drivers (vfs excluded) that count as prior state, sorted.</param>
/// <param name="Outcome"><see cref="Outcome.Loaded"/> when the layerdb is loaded next; otherwise why not.</param>
/// <param name="Reason">One line: why this driver, or the daemon's error.</param>
/// <param name="Problems">Driver problems (ambiguous, removed or other drivers' state).</param>
public sealed record DriverDecision(
    Option<DriverName> Name, Option<SelectedBy> SelectedBy, Seq<DriverName> PriorState, Outcome Outcome, string Reason, Seq<Problem> Problems)
{
    /// <summary>The containerd snapshotter dockerd uses when it chose the containerd image store; None otherwise.</summary>
    public Option<string> Snapshotter { get; init; }
}

/// <summary>
/// <c>graphdriver.New</c>'s decision logic (layer-store.md §6.2–§6.4), applied to what is under the
/// root instead of running driver inits. Assumption where moby would probe the host: btrfs and zfs need
/// their backing file system and aufs its kernel module; we assume none of these, so the automatic
/// choice is the first other driver of the priority list (overlay2 in every release covered).
/// </summary>
public static class DriverSelection
{
    /// <summary>Every Linux driver name any covered release registers, sorted.</summary>
    public static Seq<DriverName> AllDriverNames { get; } =
        Seq<DriverName>("aufs", "btrfs", "devicemapper", "fuse-overlayfs", "overlay", "overlay2", "vfs", "zfs");

    private static readonly Seq<DriverName> NeedsHostSupport = Seq<DriverName>("aufs", "btrfs", "zfs");

    /// <summary>Decides the graph driver.</summary>
    /// <param name="version">The moby release.</param>
    /// <param name="explicitDriver">The driver named by the user, if any.</param>
    /// <param name="homes">What is at <c>&lt;root&gt;/&lt;name&gt;</c> for each name of <see cref="AllDriverNames"/>
    /// (a name left out counts as absent).</param>
    /// <param name="hostLacks">Drivers whose init fails on the host that will start dockerd (no aufs kernel module, no btrfs
    /// or zfs backing file system): naming one, or having it as the prior-state driver, makes moby's <c>graphdriver.New</c>
    /// return the init error ("prior storage driver aufs failed: driver not supported") and the daemon refuse to start.
    /// Empty (the default): the host runs the driver its root was used with.</param>
    /// <param name="snapshotterFeature"><c>features.containerd-snapshotter</c> of the daemon's configuration, when set
    /// (<see cref="ImageStoreChoice.Determine"/> decides the store first, from 24.0 on).</param>
    /// <returns>The decision, with driver problems.</returns>
    public static DriverDecision Decide(MobyVersion version, Option<DriverName> explicitDriver, Map<DriverName, DriverHomeState> homes, Seq<DriverName> hostLacks = default,
        Option<bool> snapshotterFeature = default)
    {
        DriverHomeState Home(DriverName name) => homes.Find(name).IfNone(DriverHomeState.Absent);
        bool HasState(DriverName name) => Home(name) is DriverHomeState.NonEmptyDirectory or DriverHomeState.NotADirectory or DriverHomeState.Unreadable;
        bool IsPrior(DriverName name) => Home(name) switch
        {
            DriverHomeState.Absent => false,
            DriverHomeState.EmptyDirectory => !version.IgnoresEmptyPriorDirs,
            _ => true,
        };

        var prior = version.RegisteredDrivers.Filter(n => n != DriverName.Vfs && IsPrior(n)).OrderBy(n => n.Value, StringComparer.Ordinal).ToSeq().Strict();
        // Only drivers that an earlier release had and this one dropped (aufs, overlay, devicemapper);
        // fuse-overlayfs state under a release before 20.10 is simply a driver that release never had.
        var removedState = AllDriverNames
            .Filter(n => !version.RegisteredDrivers.Contains(n) && HasState(n) && MobyVersion.Default.RemovedDrivers.Contains(n))
            .Map(n => new Problem(ProblemKind.RemovedDriverState, Severity.Error, n.Value, None, None, None, new Fact.RemovedDriverState(n, version)))
            .Strict();

        return ImageStoreChoice.Determine(version, explicitDriver, snapshotterFeature, !prior.IsEmpty).Match(
            Left: refused => new DriverDecision(None, None, prior, Outcome.DaemonRefusesToStart, "failed to determine the image store: " + refused,
                (Seq1(new Problem(ProblemKind.DriverNotSupported, Severity.Error, explicitDriver.Map(n => n.Value).IfNone(""), None, None, None,
                    new Fact.DriverNotRegistered(refused))) + removedState).Strict()),
            Right: store => !store.IsGraphDriver()
                ? Containerd(version, store, explicitDriver, snapshotterFeature, prior, removedState)
                : GraphDriver(version, explicitDriver, prior, HasState, removedState, hostLacks));
    }

    private static DriverDecision GraphDriver(MobyVersion version, Option<DriverName> explicitDriver, Seq<DriverName> prior, Func<DriverName, bool> hasState,
        Seq<Problem> removedState, Seq<DriverName> hostLacks)
    {
        var decision = explicitDriver.Match(
            Some: name => Explicit(version, name, prior, hasState, removedState),
            None: () => Automatic(version, prior, removedState, hostLacks));
        return decision.Name.TrySome(out var chosen) && hostLacks.Contains(chosen) ? InitFails(decision, chosen, version) : decision;
    }

    // graphdriver.New (daemon/graphdriver/driver.go): the driver's init fails on this host, so New returns its error.
    private static DriverDecision InitFails(DriverDecision decision, DriverName name, MobyVersion version)
    {
        var how = decision.SelectedBy == Some(SelectedBy.PriorState) ? $"prior storage driver {name} failed: driver not supported" : "driver not supported";
        return decision with
        {
            Name = None,
            Outcome = Outcome.DaemonRefusesToStart,
            Reason = "error initializing graphdriver: " + how,
            Problems = decision.Problems.Add(new Problem(ProblemKind.DriverNotSupported, Severity.Error, name.Value, None, None, None,
                new Fact.HostLacksDriver(name, version, how))),
        };
    }

    private static DriverDecision Explicit(MobyVersion version, DriverName name, Seq<DriverName> prior, Func<DriverName, bool> hasState, Seq<Problem> removedState)
    {
        if (version.RemovedDrivers.Contains(name) || !version.RegisteredDrivers.Contains(name))
        {
            var why = version.RemovedDrivers.Contains(name)
                ? $"the {name} storage driver was deprecated and removed in moby {(name == "devicemapper" ? "25.0" : "24.0")}"
                : $"moby {version} has no {name} storage driver ({(version.AtLeast(28) ? "graph-driver plugins were removed in 28.0" : "and no plugin of that name is assumed")})";
            return new DriverDecision(None, None, prior, Outcome.DaemonRefusesToStart, "error initializing graphdriver: " + why,
                Seq1(new Problem(ProblemKind.DriverNotSupported, Severity.Error, name.Value, None, None, None, new Fact.DriverNotRegistered(why))));
        }
        var others = AllDriverNames
            .Filter(n => n != name && hasState(n) && version.RegisteredDrivers.Contains(n))
            .Map(n => new Problem(ProblemKind.OtherDriverState, Severity.Warning, n.Value, None, None, None, new Fact.OtherDriverState(n, name)));
        return new DriverDecision(Some(name), Some(SelectedBy.Explicit), prior, Outcome.Loaded,
            $"{name} was named explicitly", (others + removedState).Strict());   // removedState never names a registered driver
    }

    /// <summary>Snapshotters a stock containerd 2.x registers without extra configuration (containerd <c>plugins/snapshots</c>);
    /// zfs, devmapper and blockfile need a plugin or a pool set up first.</summary>
    private static readonly Seq<string> BuiltInSnapshotters = Seq("btrfs", "erofs", "native", "overlayfs");

    // The containerd image store: no layerdb is used. A driver name taken as a snapshotter that containerd does not have
    // stops the daemon (containerd/containerd#12504: 'configured driver "zfs" not available').
    private static DriverDecision Containerd(MobyVersion version, ImageStore store, Option<DriverName> named, Option<bool> feature, Seq<DriverName> prior,
        Seq<Problem> removedState)
    {
        var snapshotter = named.Map(n => n.Value).IfNone(LayerFunctional.Containerd.ContainerdStoreSnapshot.DefaultSnapshotter);
        if (!BuiltInSnapshotters.Contains(snapshotter))
        {
            var why = $"moby {version} takes \"{snapshotter}\" as a containerd snapshotter ({(version.AtLeast(29, 1) ? "it is no registered graph driver" : "only overlay2, vfs and btrfs name a graph driver")}), and containerd has none of that name: configured driver \"{snapshotter}\" not available";
            return new DriverDecision(None, None, prior, Outcome.DaemonRefusesToStart, "failed to start the containerd image store: " + why,
                (Seq1(new Problem(ProblemKind.DriverNotSupported, Severity.Error, snapshotter, None, None, None, new Fact.DriverNotRegistered(why))) + removedState).Strict());
        }
        var because = feature.Exists(on => on) ? "features.containerd-snapshotter is true"
            : named.IsSome ? $"\"{snapshotter}\" names a containerd snapshotter"
            : "no prior graph-driver state";
        return new DriverDecision(None, None, prior, Outcome.GraphdriverNotUsed,
            $"{store.Id()}: {because}: moby {version} uses the containerd image store (snapshotter {snapshotter}) and ignores every layerdb",
            removedState) { Snapshotter = snapshotter };
    }

    private static DriverDecision Automatic(MobyVersion version, Seq<DriverName> prior, Seq<Problem> removedState, Seq<DriverName> hostLacks)
    {
        var first = version.DriverPriority.Find(n => prior.Contains(n));
        if (first.TrySome(out var chosen))
        {
            // moby inits the first prior driver before it looks for others: its failure comes first.
            if (hostLacks.Contains(chosen) && !version.DeprecatedPriorIsError.Contains(chosen))
                return new DriverDecision(Some(chosen), Some(SelectedBy.PriorState), prior, Outcome.Loaded, $"prior state in {chosen}/", removedState);
            if (version.DeprecatedPriorIsError.Contains(chosen))
                return new DriverDecision(None, None, prior, Outcome.DaemonRefusesToStart,
                    $"prior storage driver {chosen} is deprecated and will be removed; moby {version} requires it to be chosen explicitly",
                    (Seq1(new Problem(ProblemKind.DeprecatedDriverState, Severity.Error, chosen.Value, None, None, None,
                        new Fact.DeprecatedDriverState(chosen, version))) + removedState).Strict());
            if (prior.Count > 1)
                return new DriverDecision(None, None, prior, Outcome.DaemonRefusesToStart,
                    $"the root contains several valid graphdrivers: {string.Join(", ", prior)}; {(version.AtLeast(23) ? "cleanup" : "Please cleanup")} or explicitly choose storage driver (-s <DRIVER>)",
                    (prior.Map(n => new Problem(ProblemKind.AmbiguousPriorDrivers, Severity.Error, n.Value, None, None, None,
                        new Fact.AmbiguousPriorDrivers(n, prior))) + removedState).Strict());
            return new DriverDecision(Some(chosen), Some(SelectedBy.PriorState), prior, Outcome.Loaded,
                $"prior state in {chosen}/", removedState);
        }
        // Every priority list holds overlay2 (ahead of every deprecated driver but aufs, which needs host support).
        var auto = version.DriverPriority
            .Filter(n => !version.DeprecatedSkippedInAuto.Contains(n) && !NeedsHostSupport.Contains(n))
            .Head;
        return new DriverDecision(Some(auto), Some(SelectedBy.Priority), prior, Outcome.Loaded,
            $"no prior state: first usable driver of moby {version}'s priority list (assuming no btrfs/zfs backing file system and no aufs module)",
            removedState);
    }
}
