using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Drivers;

/// <summary>What <c>features.containerd-migration</c> does at the next start (<see cref="MigrationForecast"/>, moby 29.1
/// <c>daemon/daemon.go</c>): nothing without the feature or before 29.0, nothing while a container uses the driver, nothing
/// while the images' top layers hold more than the threshold; otherwise the switch, which hides the images when a layer of
/// theirs cannot be streamed.</summary>
public class MigrationForecastTests
{
    private static readonly DaemonConfig Migrate = DaemonConfig.Parse("""{"features":{"containerd-migration":true}}"""u8.ToArray()).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static CheckReport Check(GeneratedRoot model, DaemonConfig config, Option<string> threshold = default, string moby = "29.1") =>
        Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Parse(moby).IfLeft(e => throw new Xunit.Sdk.XunitException(e)), None)
            { DaemonConfig = config, MigrationThreshold = threshold }, model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static GeneratedRoot Model(int mounts = 0) => RootGenerator.Generate(8, new GeneratorOptions(Layers: 7, Mounts: mounts, Images: 2));

    // What moby sums: each image's top layer's own size.
    private static long TopSizes(GeneratedRoot model) => model.Images.Map(i => model.Layers.Find(l => l.ChainID == i.Top).Map(l => l.Size).IfNone(0)).Sum();

    private static MigrationForecast Forecast(CheckReport report) => report.Migration.IfNone(() => throw new Xunit.Sdk.XunitException("no forecast"));

    [Fact]
    public void Without_the_feature_or_before_29_nothing_is_forecast()
    {
        Assert.IsType<MigrationForecast.NotRequested>(Forecast(Check(Model(), DaemonConfig.None)));
        Assert.Equal(new MigrationForecast.NotAttempted("moby 28.0 has no migration to the containerd image store (from 29.0)"),
            Forecast(Check(Model(), Migrate, moby: "28.0")));
    }

    [Fact]
    public void A_container_on_the_driver_or_images_over_the_threshold_keep_the_graph_driver()
    {
        Assert.Equal(new MigrationForecast.NotAttempted("2 container(s) use overlay2: moby migrates only a driver no container uses"),
            Forecast(Check(Model(mounts: 2), Migrate, Some("1G"))));
        var model = Model();
        Assert.Equal(new MigrationForecast.StaysOnGraphDriver(2, TopSizes(model), 0), Forecast(Check(model, Migrate)));
        Assert.Equal(new MigrationForecast.StaysOnGraphDriver(2, TopSizes(model), TopSizes(model) - 1),
            Forecast(Check(model, Migrate, Some((TopSizes(model) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
    }

    [Fact]
    public void Under_the_threshold_dockerd_switches_and_copies_the_images()
    {
        var model = Model();
        var report = Check(model, Migrate, Some(TopSizes(model).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new MigrationForecast.Switches("overlayfs", 2, TopSizes(model), TopSizes(model), 0, Empty), Forecast(report));
        Assert.Empty(report.Problems);
    }

    [Fact]
    public void A_layer_of_an_image_without_its_tar_split_stops_the_copy_and_hides_the_images()
    {
        var model = Model();
        var top = model.Layers.Find(l => l.ChainID == model.Images[0].Top).IfNone(() => throw new Xunit.Sdk.XunitException("no top"));
        var tarSplit = top.Folder + "/tar-split.json.gz";
        var report = Check(model.Without(tarSplit), Migrate, Some("1G"));
        var stops = Assert.Single(report.Problems, p => p.Kind == ProblemKind.ContainerdMigrationFails);
        Assert.Equal((tarSplit, Severity.Error, (Fact)new Fact.MigrationStops(ProblemKind.TarSplitMissing, 2), Some(new ProblemCause(ProblemKind.TarSplitMissing, tarSplit))),
            (stops.Path, stops.Severity, stops.Fact, stops.CausedBy));
        Assert.Equal(Seq1(tarSplit), ((MigrationForecast.Switches)Forecast(report)).Failing.Map(p => p.Path));
    }

    [Theory]
    [InlineData("200M", 200_000_000L)]
    [InlineData("1.5g", 1_500_000_000L)]
    [InlineData("10kib", 10_000L)]
    [InlineData("10 MB", 10_000_000L)]
    [InlineData("5b", 5L)]
    [InlineData("1e3", 1_000L)]
    [InlineData("7", 7L)]
    [InlineData("", 0L)]
    [InlineData("abc", 0L)]
    [InlineData("-5", 0L)]
    [InlineData("5x", 0L)]
    [InlineData("5mbb", 0L)]
    [InlineData("5mb ", 0L)]
    [InlineData(" 5", 0L)]
    [InlineData("+5", 5L)]
    [InlineData("5bb", 0L)]
    [InlineData("5mx", 0L)]
    [InlineData("5mxb", 0L)]
    [InlineData("5MiB", 5_000_000L)]
    [InlineData("5mbbb", 0L)]
    [InlineData("20000p", long.MinValue)]
    public void The_threshold_is_read_as_go_units_FromHumanSize_reads_it(string text, long bytes) =>
        Assert.Equal(bytes, MigrationForecast.ThresholdBytes(Some(text)));

    [Fact]
    public void A_threshold_moby_cannot_read_is_told_from_one_of_zero() =>
        Assert.Equal(new[] { true, true, true, false, false, false, false },
            new[] { "0", "200M", "+5", "", "abc", "-5", "5mb " }.Select(MigrationForecast.IsThreshold));

    [Fact]
    public void Only_a_threshold_moby_cannot_read_is_warned_of() =>
        Assert.Equal(new[] { false, false, true, true },
            new[] { "0", "200M", "abc", "" }.Select(t => MigrationForecast.ThresholdWarning(t).IsSome));

    [Fact]
    public void The_containerd_store_in_use_a_daemon_that_does_not_start_or_a_driver_without_migration_are_no_migration()
    {
        var model = Model();
        Assert.Equal(new MigrationForecast.NotAttempted("dockerd uses the containerd image store already"),
            Forecast(Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None)
            {
                DaemonConfig = DaemonConfig.Parse("""{"features":{"containerd-migration":true,"containerd-snapshotter":true}}"""u8.ToArray()).IfLeft(e => throw new Xunit.Sdk.XunitException(e)),
            }, model).IfLeft(e => throw new Xunit.Sdk.XunitException(e))));
        var report = Check(model, Migrate, Some("1G"));
        var store = report.Store;
        MigrationForecast Of(DriverDecision decision, int containerdImages = 0, Option<string> threshold = default) =>
            MigrationForecast.Of(MobyVersion.Default, Migrate, threshold.IsSome ? threshold : Some("1G"), decision, store, report.Images, report.Containers, report.Problems,
                containerdImages, "containerd/daemon/io.containerd.metadata.v1.bolt/meta.db").Forecast;
        Assert.Equal(new MigrationForecast.NotAttempted("dockerd does not load a graph driver"),
            Of(report.Driver with { Outcome = Outcome.DaemonRefusesToStart }));
        Assert.Equal(new MigrationForecast.NotAttempted("moby has no migration for btrfs (only overlay2 and vfs)"), Of(report.Driver with { Name = Some<DriverName>("btrfs") }));
        Assert.Equal("native", ((MigrationForecast.Switches)Of(report.Driver with { Name = Some<DriverName>("vfs") })).Snapshotter);
        Assert.Equal(new MigrationForecast.NotAttempted("DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD overflows: moby reads it as negative"),
            Of(report.Driver, threshold: Some("20000p")));
        var (hiding, problems) = MigrationForecast.Of(MobyVersion.Default, Migrate, Some("1G"), report.Driver, store, report.Images, report.Containers, report.Problems,
            3, "containerd/daemon/io.containerd.metadata.v1.bolt/meta.db");
        Assert.Equal(3, ((MigrationForecast.Switches)hiding).ContainerdImages);
        Assert.Equal(Seq1((ProblemKind.ContainerdMigrationHidesImages, "containerd/daemon/io.containerd.metadata.v1.bolt/meta.db", (Fact)new Fact.MigrationHidesImages(2, 3, "overlay2"))),
            problems.Map(p => (p.Kind, p.Path, p.Fact)));
    }

    [Fact]
    public void Only_loaded_containers_on_this_driver_count_and_only_errors_of_the_images_layers_stop_the_copy()
    {
        var report = Check(Model(mounts: 2), Migrate, Some("1G"));
        MigrationForecast With(HashMap<MountName, LayerFunctional.Diagnostics.ContainerInfo> containers, Seq<Problem> problems) =>
            MigrationForecast.Of(MobyVersion.Default, Migrate, Some("1G"), report.Driver, report.Store, report.Images, containers, problems, 0, "m").Forecast;
        var elsewhere = report.Containers.Map(c => c with { Driver = Some<DriverName>("vfs") });
        var unloaded = report.Containers.Map(c => c with { Fate = LayerFunctional.Diagnostics.ContainerFate.NotLoaded });
        Assert.IsType<MigrationForecast.Switches>(With(elsewhere, Empty));
        Assert.IsType<MigrationForecast.Switches>(With(unloaded, Empty));
        // A top layer of an image: an error there stops the copy; a warning, or a finding that is a symptom, does not.
        var top = report.Images.Head.TopChainId.IfNone(() => throw new Xunit.Sdk.XunitException("no top"));
        var gone = new Problem(ProblemKind.CacheDirMissing, Severity.Error, "overlay2/x", Some(top), None, None, new Fact.ContainerdBlobUnreferenced("x"));
        Assert.Equal(Seq1("overlay2/x"), ((MigrationForecast.Switches)With(elsewhere, Seq1(gone))).Failing.Map(p => p.Path));
        Assert.Empty(((MigrationForecast.Switches)With(elsewhere, Seq1(gone with { Severity = Severity.Warning }))).Failing);
        Assert.Empty(((MigrationForecast.Switches)With(elsewhere, Seq1(gone with { CausedBy = Some(new ProblemCause(ProblemKind.DriverHomeMissing, "overlay2")) }))).Failing);
        Assert.Empty(((MigrationForecast.Switches)With(elsewhere, Seq1(gone with { Kind = ProblemKind.SizeInvalid }))).Failing);
    }
}
