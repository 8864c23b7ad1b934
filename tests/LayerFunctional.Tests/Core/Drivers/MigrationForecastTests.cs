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
    [InlineData("20000p", long.MinValue)]
    public void The_threshold_is_read_as_go_units_FromHumanSize_reads_it(string text, long bytes) =>
        Assert.Equal(bytes, MigrationForecast.ThresholdBytes(Some(text)));
}
