using LanguageExt;
using LayerFunctional.Drivers;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Drivers;

/// <summary>graphdriver.New's decision per release (layer-store.md §6.2–§6.4, §10): in short, and as whole records (name, rule,
/// prior state, outcome, reason and every problem's texts).</summary>
public class DriverSelectionTests
{
    private static MobyVersion V(string v) => MobyVersion.Parse(v).IfLeft(e => throw new ArgumentException(e));

    private static Map<DriverName, DriverHomeState> Homes(params (string Name, DriverHomeState State)[] homes) =>
        toMap(homes.Select(h => (new DriverName(h.Name), h.State)));

    private static string DecideSummary(string moby, Option<string> explicitDriver, params (string, DriverHomeState)[] homes)
    {
        var d = DriverSelection.Decide(V(moby), explicitDriver.Map(n => new DriverName(n)), Homes(homes));
        return $"{d.Outcome.Id()}:{d.Name.IfNone("-")}:{d.SelectedBy.Map(s => s.Id()).IfNone("-")}:{string.Join("+", d.Problems.Map(p => p.Kind.Id() + "@" + p.Path))}";
    }

    private const DriverHomeState Data = DriverHomeState.NonEmptyDirectory;
    private const DriverHomeState EmptyDir = DriverHomeState.EmptyDirectory;

    private static DriverDecision Decide(string moby, string? explicitDriver, params (string Name, DriverHomeState State)[] homes) =>
        DriverSelection.Decide(V(moby), Optional(explicitDriver).Map(n => new DriverName(n)), Homes(homes));

    private static Problem P(ProblemKind kind, Severity severity, string path, Fact fact) => new(kind, severity, path, None, None, None, fact);

    private static Problem Removed(string n, string moby) => P(ProblemKind.RemovedDriverState, Severity.Error, n, new Fact.RemovedDriverState(n, V(moby)));

    private static Problem Other(string n, string chosen) => P(ProblemKind.OtherDriverState, Severity.Warning, n, new Fact.OtherDriverState(n, chosen));

    private static string Auto(string moby) =>
        $"no prior state: first usable driver of moby {moby}'s priority list (assuming no btrfs/zfs backing file system and no aufs module)";

    [Theory]
    [InlineData("17.06", "loaded:overlay2:priority:")]
    [InlineData("20.10", "loaded:overlay2:priority:")]
    [InlineData("28.0", "loaded:overlay2:priority:")]
    [InlineData("29.0", "graphdriver_not_used:-:-:")]
    public void Without_prior_state_29_uses_containerd_and_older_releases_pick_by_priority(string moby, string expected) =>
        Assert.Equal(expected, DecideSummary(moby, None));

    [Theory]
    [InlineData("29.0", "loaded:overlay2:prior_state:")]
    [InlineData("17.06", "loaded:overlay2:prior_state:")]
    public void Prior_overlay2_state_is_chosen(string moby, string expected) =>
        Assert.Equal(expected, DecideSummary(moby, None, ("overlay2", Data)));

    [Fact]
    public void Vfs_state_never_counts_as_prior_so_29_switches_to_containerd() =>
        Assert.Equal("graphdriver_not_used:-:-:", DecideSummary("29.0", None, ("vfs", Data)));

    [Fact]
    public void A_regular_file_named_like_a_driver_counts_as_prior_state() =>
        Assert.Equal("loaded:overlay2:prior_state:", DecideSummary("29.0", None, ("overlay2", DriverHomeState.NotADirectory)));

    [Theory]
    [InlineData("17.06", "daemon_refuses_to_start:-:-:ambiguous_prior_drivers@btrfs+ambiguous_prior_drivers@overlay2")]
    [InlineData("17.12", "loaded:overlay2:prior_state:")]
    [InlineData("29.0", "loaded:overlay2:prior_state:")]
    public void Empty_driver_folders_count_as_prior_state_before_17_12(string moby, string expected) =>
        Assert.Equal(expected, DecideSummary(moby, None, ("overlay2", Data), ("btrfs", EmptyDir)));

    [Fact]
    public void Two_prior_drivers_make_the_daemon_refuse_to_start() =>
        Assert.Equal("daemon_refuses_to_start:-:-:ambiguous_prior_drivers@btrfs+ambiguous_prior_drivers@overlay2",
            DecideSummary("29.0", None, ("overlay2", Data), ("btrfs", Data)));

    [Fact]
    public void An_explicit_driver_resolves_ambiguity_and_reports_the_other_state() =>
        Assert.Equal("loaded:overlay2:explicit:other_driver_state@btrfs",
            DecideSummary("29.0", Some("overlay2"), ("overlay2", Data), ("btrfs", Data)));

    [Theory]
    [InlineData("20.10", "loaded:aufs:prior_state:")]
    [InlineData("23.0", "daemon_refuses_to_start:-:-:deprecated_driver_state@aufs")]
    [InlineData("24.0", "loaded:overlay2:priority:removed_driver_state@aufs")]
    [InlineData("28.0", "loaded:overlay2:priority:removed_driver_state@aufs")]
    [InlineData("29.0", "graphdriver_not_used:-:-:removed_driver_state@aufs")]
    public void Aufs_state_across_releases(string moby, string expected) =>
        Assert.Equal(expected, DecideSummary(moby, None, ("aufs", Data)));

    [Theory]
    [InlineData("23.0", "loaded:devicemapper:explicit:")]
    [InlineData("24.0", "loaded:devicemapper:explicit:")]
    [InlineData("25.0", "daemon_refuses_to_start:-:-:driver_not_supported@devicemapper")]
    public void Explicit_devicemapper_until_it_is_removed(string moby, string expected) =>
        Assert.Equal(expected, DecideSummary(moby, Some("devicemapper"), ("devicemapper", Data)));

    [Fact]
    public void Devicemapper_prior_state_is_an_error_in_24() =>
        Assert.Equal("daemon_refuses_to_start:-:-:deprecated_driver_state@devicemapper", DecideSummary("24.0", None, ("devicemapper", Data)));

    [Theory]
    [InlineData("20.10", "loaded:fuse-overlayfs:explicit:")]
    [InlineData("18.06", "daemon_refuses_to_start:-:-:driver_not_supported@fuse-overlayfs")]
    [InlineData("29.0", "daemon_refuses_to_start:-:-:driver_not_supported@nosuchdriver")]
    public void Explicit_driver_must_be_registered(string moby, string expected) =>
        Assert.Equal(expected, DecideSummary(moby, Some(expected.Contains("nosuch", StringComparison.Ordinal) ? "nosuchdriver" : "fuse-overlayfs")));

    [Fact]
    public void Highest_priority_prior_driver_is_tried_first_in_17_09_to_20_10()
    {
        // btrfs comes before overlay2 in 17.09-20.10; with only btrfs state, btrfs is chosen.
        Assert.Equal("loaded:btrfs:prior_state:", DecideSummary("18.06", None, ("btrfs", Data)));
    }

    [Theory]
    [InlineData("17.06")]
    [InlineData("18.06")]
    [InlineData("19.03")]
    [InlineData("20.10")]
    [InlineData("23.0")]
    [InlineData("24.0")]
    [InlineData("25.0")]
    [InlineData("28.0")]
    public void Without_prior_state_overlay2_is_the_first_usable_driver(string moby) =>
        Assert.Equal(new DriverDecision(Some<DriverName>("overlay2"), Some(SelectedBy.Priority), Empty, Outcome.Loaded, Auto(moby), Empty),
            Decide(moby, null, ("vfs", Data), ("btrfs", DriverHomeState.Absent)));

    [Fact]
    public void From_29_no_prior_state_means_the_containerd_store()
    {
        Assert.Equal(new DriverDecision(None, None, Empty, Outcome.GraphdriverNotUsed,
                "containerd-by-default: no prior graph-driver state: moby 29.0 uses the containerd image store (snapshotter overlayfs) and ignores every layerdb",
                Seq1(Removed("overlay", "29.0"))) { Snapshotter = Some("overlayfs") },
            Decide("29.0", null, ("overlay", Data), ("vfs", Data)));
    }

    /// <summary>The image store per release (issue "Docker 29"), as moby decides it: before 24.0 always the graph driver;
    /// 24.0–28.x (<c>daemon/daemon.go</c> <c>UsesSnapshotter</c>) containerd only with <c>features.containerd-snapshotter</c>
    /// true; 29.0 (<c>daemon/image_store_choice.go</c> at docker-v29.0.0, <c>determineImageStoreChoice</c>) the feature first,
    /// then a named driver (overlay2, vfs, btrfs: graph driver; any other name: a snapshotter), then prior state; 29.1+
    /// (commit 391247ce96) prior state before the named driver, and any registered graph driver's name means the graph driver.
    /// Columns: release, driver named, feature (null: unset), prior state, the choice or dockerd's error.</summary>
    [Theory]
    [InlineData("20.10", null, true, false, "graphdriver-by-default")]
    [InlineData("23.0", "overlay2", null, false, "graphdriver-explicit")]
    [InlineData("24.0", null, true, true, "containerd-explicit")]
    [InlineData("28.5", null, null, false, "graphdriver-by-default")]
    [InlineData("28.5", "zfs", false, false, "graphdriver-explicit")]
    [InlineData("29.0", null, null, false, "containerd-by-default")]
    [InlineData("29.0", null, null, true, "graphdriver-prior")]
    [InlineData("29.0", null, true, true, "containerd-explicit")]
    [InlineData("29.0", null, false, false, "graphdriver-explicit")]
    [InlineData("29.0", "overlay2", null, false, "graphdriver-explicit")]
    [InlineData("29.0", "btrfs", null, false, "graphdriver-explicit")]
    [InlineData("29.0", "zfs", null, true, "containerd-explicit")]            // 29.0: prior state is not looked at once a driver is named
    [InlineData("29.0", "fuse-overlayfs", null, false, "containerd-explicit")]
    [InlineData("29.0", "overlay2", true, false, "containerd-explicit")]      // the feature wins: a snapshotter named overlay2
    [InlineData("29.0", "aufs", false, false, "error: graphdriver is explicitly enabled but \"aufs\" is not registered")]
    [InlineData("29.1", "zfs", null, true, "graphdriver-prior")]             // 29.1: prior state first
    [InlineData("29.1", "zfs", null, false, "graphdriver-explicit")]         // a registered graph driver
    [InlineData("29.1", "fuse-overlayfs", null, false, "graphdriver-explicit")]
    [InlineData("29.1", "overlayfs", null, false, "containerd-explicit")]
    [InlineData("29.1", "overlayfs", false, false, "error: graphdriver is explicitly enabled but \"overlayfs\" is not registered")]
    [InlineData("29.1", "overlay2", true, true, "containerd-explicit")]
    [InlineData("29.4", null, null, false, "containerd-by-default")]
    public void The_image_store_is_chosen_as_moby_chooses_it(string moby, string? driver, bool? feature, bool prior, string expected) =>
        Assert.Equal(expected, ImageStoreChoice.Determine(V(moby), Optional(driver).Map(d => new DriverName(d)), Optional(feature), prior).Match(Right: s => s.Id(), Left: e => "error: " + e));

    [Fact]
    public void A_driver_name_taken_as_a_snapshotter_containerd_lacks_stops_the_daemon_and_one_it_has_ignores_the_layerdb()
    {
        var zfs = DriverSelection.Decide(V("29.0"), Some<DriverName>("zfs"), toMap(new (DriverName, DriverHomeState)[] { ("zfs", Data) }));
        Assert.Equal((Outcome.DaemonRefusesToStart, Seq1(ProblemKind.DriverNotSupported), Seq1("zfs")), (zfs.Outcome, zfs.Problems.Map(p => p.Kind), zfs.Problems.Map(p => p.Path)));
        Assert.Equal(new Fact.DriverNotRegistered("moby 29.0 takes \"zfs\" as a containerd snapshotter (only overlay2, vfs and btrfs name a graph driver), and containerd has none of that name: configured driver \"zfs\" not available"),
            zfs.Problems.Head.Fact);
        var native = DriverSelection.Decide(V("29.1"), Some<DriverName>("native"), toMap(new (DriverName, DriverHomeState)[] { ("overlay2", DriverHomeState.EmptyDirectory) }));
        Assert.Equal(new DriverDecision(None, None, Empty, Outcome.GraphdriverNotUsed,
            "containerd-explicit: \"native\" names a containerd snapshotter: moby 29.1 uses the containerd image store (snapshotter native) and ignores every layerdb", Empty) { Snapshotter = Some("native") }, native);
        var feature = DriverSelection.Decide(V("29.1"), None, toMap(new (DriverName, DriverHomeState)[] { ("overlay2", Data) }), snapshotterFeature: Some(true));
        Assert.Equal((Outcome.GraphdriverNotUsed, "containerd-explicit: features.containerd-snapshotter is true: moby 29.1 uses the containerd image store (snapshotter overlayfs) and ignores every layerdb"),
            (feature.Outcome, feature.Reason));
        var unknown = DriverSelection.Decide(V("29.1"), Some<DriverName>("fancyfs"), toMap(new (DriverName, DriverHomeState)[] { ("overlay2", DriverHomeState.Absent) }));
        Assert.Equal((Outcome.DaemonRefusesToStart, Seq1("fancyfs")), (unknown.Outcome, unknown.Problems.Map(p => p.Path)));
        Assert.Equal("failed to start the containerd image store: moby 29.1 takes \"fancyfs\" as a containerd snapshotter (it is no registered graph driver), and containerd has none of that name: configured driver \"fancyfs\" not available",
            unknown.Reason);
        // The feature off and a name that is no graph driver: dockerd's own start-up error.
        var refused = DriverSelection.Decide(V("29.1"), Some<DriverName>("overlayfs"), toMap(new (DriverName, DriverHomeState)[] { ("aufs", Data) }), snapshotterFeature: Some(false));
        Assert.Equal(new DriverDecision(None, None, Empty, Outcome.DaemonRefusesToStart,
                "failed to determine the image store: graphdriver is explicitly enabled but \"overlayfs\" is not registered",
                Seq(P(ProblemKind.DriverNotSupported, Severity.Error, "overlayfs", new Fact.DriverNotRegistered("graphdriver is explicitly enabled but \"overlayfs\" is not registered")),
                    Removed("aufs", "29.1"))),
            refused);
        // The feature set to false keeps the graph driver with nothing named and no prior state: moby's priority list.
        var off = DriverSelection.Decide(V("29.1"), None, toMap(new (DriverName, DriverHomeState)[] { ("overlay2", DriverHomeState.Absent) }), snapshotterFeature: Some(false));
        Assert.Equal((Outcome.Loaded, Some<DriverName>("overlay2"), Some(SelectedBy.Priority)), (off.Outcome, off.Name, off.SelectedBy));
    }

    [Theory]
    [InlineData(DriverHomeState.NonEmptyDirectory)]
    [InlineData(DriverHomeState.NotADirectory)]
    [InlineData(DriverHomeState.Unreadable)]
    public void One_prior_driver_is_chosen(DriverHomeState state) =>
        Assert.Equal(new DriverDecision(Some<DriverName>("btrfs"), Some(SelectedBy.PriorState), Seq1<DriverName>("btrfs"), Outcome.Loaded, "prior state in btrfs/", Empty),
            Decide("29.0", null, ("btrfs", state)));

    [Fact]
    public void An_empty_driver_folder_is_prior_state_only_before_17_12()
    {
        Assert.Equal(new DriverDecision(Some<DriverName>("zfs"), Some(SelectedBy.PriorState), Seq1<DriverName>("zfs"), Outcome.Loaded, "prior state in zfs/", Empty),
            Decide("17.09", null, ("zfs", DriverHomeState.EmptyDirectory)));
        Assert.Equal(Auto("17.12"), Decide("17.12", null, ("zfs", DriverHomeState.EmptyDirectory)).Reason);
    }

    [Theory]
    [InlineData("20.10", "Please cleanup")]
    [InlineData("23.0", "cleanup")]
    public void Several_prior_drivers_refuse_to_start(string moby, string cleanup)
    {
        Assert.Equal(new DriverDecision(None, None, Seq<DriverName>("btrfs", "overlay2", "zfs"), Outcome.DaemonRefusesToStart,
                $"the root contains several valid graphdrivers: btrfs, overlay2, zfs; {cleanup} or explicitly choose storage driver (-s <DRIVER>)",
                Seq("btrfs", "overlay2", "zfs").Map(n => P(ProblemKind.AmbiguousPriorDrivers, Severity.Error, n,
                    new Fact.AmbiguousPriorDrivers(n, Seq<DriverName>("btrfs", "overlay2", "zfs"))))),
            Decide(moby, null, ("zfs", Data), ("overlay2", DriverHomeState.NotADirectory), ("btrfs", DriverHomeState.Unreadable), ("vfs", Data)));
    }

    [Fact]
    public void Several_prior_drivers_with_removed_state_name_both()
    {
        var d = Decide("24.0", null, ("btrfs", Data), ("overlay2", Data), ("aufs", Data));
        Assert.Equal(Outcome.DaemonRefusesToStart, d.Outcome);
        Assert.Equal(Seq(ProblemKind.AmbiguousPriorDrivers, ProblemKind.AmbiguousPriorDrivers, ProblemKind.RemovedDriverState), d.Problems.Map(p => p.Kind));
        Assert.Equal(Removed("aufs", "24.0"), d.Problems.Last);
    }

    [Theory]
    [InlineData("23.0", "aufs")]
    [InlineData("23.0", "overlay")]
    [InlineData("24.0", "devicemapper")]
    public void Deprecated_prior_state_must_be_named(string moby, string driver) =>
        Assert.Equal(new DriverDecision(None, None, Seq1(new DriverName(driver)), Outcome.DaemonRefusesToStart,
                $"prior storage driver {driver} is deprecated and will be removed; moby {moby} requires it to be chosen explicitly",
                Seq1(P(ProblemKind.DeprecatedDriverState, Severity.Error, driver, new Fact.DeprecatedDriverState(driver, V(moby))))),
            Decide(moby, null, (driver, Data)));

    [Fact]
    public void Deprecated_prior_state_in_24_also_reports_removed_drivers()
    {
        var d = Decide("24.0", null, ("devicemapper", Data), ("overlay", DriverHomeState.Unreadable));
        Assert.Equal(Seq(ProblemKind.DeprecatedDriverState, ProblemKind.RemovedDriverState), d.Problems.Map(p => p.Kind));
        Assert.Equal(Removed("overlay", "24.0"), d.Problems.Last);
    }

    [Fact]
    public void Removed_state_is_reported_only_for_drivers_moby_dropped()
    {
        // fuse-overlayfs under 18.06 is a driver that release never had: no problem. Empty folders hold no state.
        Assert.Equal(Empty, Decide("18.06", null, ("fuse-overlayfs", Data)).Problems);
        Assert.Equal(Empty, Decide("25.0", null, ("aufs", DriverHomeState.EmptyDirectory)).Problems);
        Assert.Equal(Seq(Removed("aufs", "25.0"), Removed("devicemapper", "25.0"), Removed("overlay", "25.0")),
            Decide("25.0", null, ("aufs", DriverHomeState.NotADirectory), ("devicemapper", DriverHomeState.Unreadable), ("overlay", Data)).Problems);
        Assert.Equal(Seq1(Removed("aufs", "24.0")), Decide("24.0", null, ("aufs", Data), ("devicemapper", Data)).Problems.Filter(p => p.Kind == ProblemKind.RemovedDriverState));
    }

    [Fact]
    public void An_explicit_driver_reports_other_and_removed_state()
    {
        Assert.Equal(new DriverDecision(Some<DriverName>("overlay2"), Some(SelectedBy.Explicit), Seq<DriverName>("btrfs", "fuse-overlayfs", "overlay2"), Outcome.Loaded, "overlay2 was named explicitly",
                Seq(Other("btrfs", "overlay2"), Other("fuse-overlayfs", "overlay2"), Other("vfs", "overlay2"), Removed("aufs", "29.0"))),
            Decide("29.0", "overlay2", ("overlay2", Data), ("btrfs", Data), ("fuse-overlayfs", DriverHomeState.Unreadable), ("aufs", Data),
                ("zfs", DriverHomeState.EmptyDirectory), ("vfs", DriverHomeState.NotADirectory)));
    }

    [Fact]
    public void An_explicit_driver_needs_no_state_of_its_own()
    {
        Assert.Equal(new DriverDecision(Some<DriverName>("vfs"), Some(SelectedBy.Explicit), Empty, Outcome.Loaded, "vfs was named explicitly", Empty),
            Decide("20.10", "vfs", ("vfs", Data)));
    }

    [Theory]
    [InlineData("24.0", "aufs", "the aufs storage driver was deprecated and removed in moby 24.0")]
    [InlineData("24.0", "overlay", "the overlay storage driver was deprecated and removed in moby 24.0")]
    [InlineData("25.0", "devicemapper", "the devicemapper storage driver was deprecated and removed in moby 25.0")]
    [InlineData("28.0", "nosuch", "moby 28.0 has no nosuch storage driver (graph-driver plugins were removed in 28.0)")]
    [InlineData("27.0", "nosuch", "moby 27.0 has no nosuch storage driver (and no plugin of that name is assumed)")]
    [InlineData("18.06", "fuse-overlayfs", "moby 18.06 has no fuse-overlayfs storage driver (and no plugin of that name is assumed)")]
    public void An_unusable_explicit_driver_refuses_to_start(string moby, string driver, string why) =>
        Assert.Equal(new DriverDecision(None, None, Seq1<DriverName>("overlay2"), Outcome.DaemonRefusesToStart, "error initializing graphdriver: " + why,
                Seq1(P(ProblemKind.DriverNotSupported, Severity.Error, driver, new Fact.DriverNotRegistered(why)))),
            Decide(moby, driver, ("overlay2", Data)));

    [Fact]
    public void All_driver_names_are_sorted() =>
        Assert.Equal(Seq<DriverName>("aufs", "btrfs", "devicemapper", "fuse-overlayfs", "overlay", "overlay2", "vfs", "zfs"), DriverSelection.AllDriverNames);
}
