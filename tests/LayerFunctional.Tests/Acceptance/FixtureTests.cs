using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Acceptance;

/// <summary>
/// The real docker-explorer acquisitions in ../shared/fixtures. Every v2 root holds one layer (an
/// image of one layer: fixtures README) that every container mount sits on, so its reference count at
/// load equals the number of mounts; the IDs below were read from the files.
/// </summary>
public class FixtureTests
{
    private static CheckReport Check(string root, string moby, Option<string> driver = default) =>
        Checker.Check(new CheckOptions(root, MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), driver.Map(d => new DriverName(d))))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static TempDir Unpack(string name) => SharedData.Unpack(Path.Combine(SharedData.Fixtures, name + ".tgz"));

    /// <summary>Reads the mount folders' parent files directly (no product code) to cross-check.</summary>
    private static string[] MountNames(string layerDb) =>
        Directory.GetDirectories(Path.Combine(layerDb, "mounts")).Select(Path.GetFileName).Select(n => n!).Order(StringComparer.Ordinal).ToArray();

    [SharedTheory]
    [InlineData("de-overlay2-v2", "overlay2", "sha256:0314be9edf00a925d59f9b88c9d8ccb34447ab677078874d8c14e7a6816e21e1", "583c602e6bded61f85a9deb504a724d5cc7cce3902c8385a7620fe1c", 1146369, 5)]
    [InlineData("de-vols-v2", "overlay2", "sha256:50644c29ef5a27c9a40c393a73ece2479de78325cae7d762ef3cdc19bf42dd0a", "e9dd021b588b13e38ae135f9160973ac825885e810007bebfc1353c5", 5574537, 4)]
    public void Overlay2_roots_load_one_layer_referenced_by_every_mount(string fixture, string driver, string chain, string cachePrefix, long size, int mounts)
    {
        using var dir = Unpack(fixture);
        var root = Path.Combine(dir.Path, "docker");
        var report = Check(root, "29.0");

        Assert.Equal(Outcome.Loaded, report.Outcome);
        Assert.Equal(Some(new DriverName(driver)), report.Driver.Name);
        Assert.Equal(Some(LayerFunctional.Drivers.SelectedBy.PriorState), report.Driver.SelectedBy);
        var layer = Assert.Single(report.Store.Layers);
        Assert.Equal(chain, layer.ChainID.ToString());
        Assert.Equal(chain, layer.DiffID.ToString());
        Assert.StartsWith(cachePrefix, layer.CacheID.Value, StringComparison.Ordinal);
        Assert.Equal(size, layer.Size);
        Assert.Equal(None, layer.Parent);
        Assert.Equal(1, layer.Depth);
        Assert.Equal(mounts, layer.ReferenceCount);
        var names = MountNames(Path.Combine(root, "image", driver, "layerdb"));
        Assert.Equal(mounts, names.Length);
        Assert.Equal(names, report.Store.Mounts.Map(m => m.Name.Value));
        Assert.All(report.Store.Mounts, m =>
        {
            Assert.Equal(Some(layer.ChainID), m.Parent);
            Assert.Equal(Some(m.MountID.Value + "-init"), m.InitID.Map(i => i.Value));
        });
        Assert.Empty(report.Store.SkippedLayers);
        Assert.Empty(report.Store.SkippedMounts);
        Assert.Empty(report.Problems);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(0, report.OrphanBytes);

        // Images and containers, counted from the files themselves.
        var imageFiles = Directory.GetFiles(Path.Combine(root, "image", driver, "imagedb", "content", "sha256")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(imageFiles.Select(f => "sha256:" + f), report.Images.Map(i => i.Id));
        Assert.All(report.Images, i => Assert.True(i.Loads));
        Assert.Equal(imageFiles.Length, report.ImageRefs.Find(layer.ChainID).IfNone(0));
        Assert.All(report.Store.Mounts, m =>
        {
            using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "containers", m.Name.Value, "config.v2.json")));
            Assert.Equal(Some(config.RootElement.GetProperty("Name").GetString()!), report.Containers.Find(m.Name).Bind(c => c.Name));
        });
    }

    [SharedFact]
    public void Overlay2_root_with_an_empty_overlay_folder_is_ambiguous_before_17_12_only()
    {
        using var dir = Unpack("de-overlay2-v2");
        var root = Path.Combine(dir.Path, "docker");
        // 17.06 counts the empty docker/overlay/ as prior state: two prior drivers, the daemon refuses.
        var old = Check(root, "17.06");
        Assert.Equal(Outcome.DaemonRefusesToStart, old.Outcome);
        Assert.Equal(Seq<DriverName>("overlay", "overlay2"), old.Driver.PriorState);
        Assert.Equal(Seq(("ambiguous_prior_drivers", "overlay"), ("ambiguous_prior_drivers", "overlay2")), old.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Empty(old.Store.Layers);
        Assert.Contains("--driver overlay2", old.Hints);
        // 17.12 and later skip empty folders (commit 1262c57714).
        var newer = Check(root, "20.10");
        Assert.Equal(Outcome.Loaded, newer.Outcome);
        Assert.Equal(Seq1<DriverName>("overlay2"), newer.Driver.PriorState);
        Assert.Equal(5, Assert.Single(newer.Store.Layers).ReferenceCount);
    }

    [SharedTheory]
    [InlineData("de-aufs-v2", "aufs", "sha256:38ac8d0f5bb30c8b742ad97a328b77870afaec92b33faf7e121161bc78a3fec8", 1109996, 7)]
    [InlineData("de-overlay-v2", "overlay", "sha256:4febd3792a1fb2153108b4fa50161c6ee5e3d16aa483a63215f936a113a88e9a", 1146369, 6)]
    public void Removed_driver_roots_load_only_under_the_releases_that_have_the_driver(string fixture, string driver, string chain, long size, int mounts)
    {
        using var dir = Unpack(fixture);
        var root = Path.Combine(dir.Path, "docker");

        // 29.0: the driver is not registered, so there is no prior state and containerd's store is used.
        var latest = Check(root, "29.0");
        Assert.Equal(Outcome.GraphdriverNotUsed, latest.Outcome);
        Assert.Empty(latest.Store.Layers);
        // The state moby ignores, in each place it lies: the driver's home and its layerdb (a symptom of the first).
        Assert.Equal(new[] { ("layerdb_not_used", $"image/{driver}/layerdb"), ("removed_driver_state", driver) }.OrderBy(p => p.Item2, StringComparer.Ordinal),
            latest.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Equal(Some(new ProblemCause(ProblemKind.RemovedDriverState, driver)), latest.Problems.Find(p => p.Kind == ProblemKind.LayerdbNotUsed).Bind(p => p.CausedBy));
        Assert.Equal(Seq1($"--moby-version 23.0 --driver {driver}"), latest.Hints);
        Assert.Equal(1, latest.ExitCode);

        // 25.0: no prior state either, and no containerd default: overlay2 by priority, whose layerdb is absent.
        var v25 = Check(root, "25.0");
        Assert.Equal(Outcome.Loaded, v25.Outcome);
        Assert.Equal(Some<DriverName>("overlay2"), v25.Driver.Name);
        Assert.Equal(Some(LayerFunctional.Drivers.SelectedBy.Priority), v25.Driver.SelectedBy);
        Assert.Empty(v25.Store.Layers);

        // 23.0: prior state of a deprecated driver is refused unless named explicitly.
        var v23 = Check(root, "23.0");
        Assert.Equal(Outcome.DaemonRefusesToStart, v23.Outcome);
        Assert.Equal(Seq1(("deprecated_driver_state", driver)), v23.Problems.Map(p => (p.Kind.Id(), p.Path)));
        foreach (var (moby, explicitDriver) in new[] { ("23.0", Some(driver)), ("20.10", Option<string>.None), ("17.06", Option<string>.None) })
        {
            var r = Check(root, moby, explicitDriver);
            Assert.Equal(Outcome.Loaded, r.Outcome);
            Assert.Equal(Some(new DriverName(driver)), r.Driver.Name);
            var layer = Assert.Single(r.Store.Layers);
            Assert.Equal(chain, layer.ChainID.ToString());
            Assert.Equal(size, layer.Size);
            Assert.Equal(mounts, layer.ReferenceCount);
            Assert.Equal(MountNames(Path.Combine(root, "image", driver, "layerdb")), r.Store.Mounts.Map(m => m.Name.Value));
            Assert.Empty(r.Problems);
        }

        // 25.0 with the driver named: checkRemoved refuses it.
        var removed = Check(root, "25.0", Some(driver));
        Assert.Equal(Outcome.DaemonRefusesToStart, removed.Outcome);
        Assert.Equal(Seq1(("driver_not_supported", driver)), removed.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Equal($"the {driver} storage driver was deprecated and removed in moby 24.0", Explain.Message(removed.Problems.Head));
    }

    [SharedFact]
    public void Legacy_v1_graph_root_has_no_layerdb()
    {
        using var dir = Unpack("de-aufs-v1");
        var root = Path.Combine(dir.Path, "docker");
        var r = Check(root, "17.06");
        Assert.Equal(Outcome.Loaded, r.Outcome);
        Assert.Equal(Some<DriverName>("aufs"), r.Driver.Name);
        Assert.Empty(r.Store.Layers);
        Assert.Equal(Seq1(("layerdb_absent", "image/aufs/layerdb")), r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Equal(0, r.ExitCode);
    }
}
