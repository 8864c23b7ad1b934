using System.Text;
using LanguageExt;
using LayerFunctional.Drivers;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Drivers;

/// <summary>daemon.json as the image store choice reads it: the keys that decide it, absent keys as None, wrong types refused.</summary>
public class DaemonConfigTests
{
    private static Either<string, DaemonConfig> Parse(string json) => DaemonConfig.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void The_deciding_keys_are_read_and_others_ignored()
    {
        Assert.Equal(Right<string, DaemonConfig>(new DaemonConfig(Some<DriverName>("overlay2"), Some(true), Some(false), Some("/srv/docker"))),
            Parse("""{"storage-driver": "overlay2", "data-root": "/srv/docker", "features": {"containerd-snapshotter": true, "containerd-migration": false, "buildkit": true}, "debug": true}"""));
        Assert.Equal(Right<string, DaemonConfig>(DaemonConfig.None), Parse("{}"));
        Assert.Equal(Right<string, DaemonConfig>(DaemonConfig.None), Parse("""{"storage-driver": ""}"""));   // blank: none named
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"storage-driver": 2}""", "\"storage-driver\" is not a string")]
    [InlineData("""{"data-root": null}""", "\"data-root\" is not a string")]
    [InlineData("""{"features": true}""", "\"features\" is not an object")]
    [InlineData("""{"features": {"containerd-snapshotter": "yes"}}""", "\"features\".\"containerd-snapshotter\" is not a boolean")]
    [InlineData("""{"features": {"containerd-migration": 1}}""", "\"features\".\"containerd-migration\" is not a boolean")]
    public void A_file_dockerd_would_refuse_is_an_error(string json, string why) =>
        Assert.StartsWith(why, Parse(json).Match(Right: _ => "parsed", Left: e => e), StringComparison.Ordinal);

    [Fact]
    public void A_storage_driver_named_both_by_flag_and_in_the_file_is_refused_even_when_the_same()
    {
        var zfs = new DaemonConfig(Some<DriverName>("zfs"), None, None, None);
        var overlay2 = zfs with { StorageDriver = Some<DriverName>("overlay2") };
        Assert.True(zfs.WithDriverFlag(Some<DriverName>("overlay2"), "/etc/docker/daemon.json").IsLeft);
        Assert.True(overlay2.WithDriverFlag(Some<DriverName>("overlay2"), "/etc/docker/daemon.json").IsLeft);
        Assert.Equal(Right<string, DaemonConfig>(zfs), zfs.WithDriverFlag(None, "daemon.json"));
        Assert.Equal(Right<string, DaemonConfig>(DaemonConfig.None), DaemonConfig.None.WithDriverFlag(Some<DriverName>("overlay2"), "daemon.json"));
    }

    [Fact]
    public void The_hidden_graph_driver_store_is_the_prior_state_one_with_a_layerdb_else_the_first_layerdb()
    {
        DriverDecision Prior(params string[] drivers) => new(None, None, toSeq(drivers).Map(d => new DriverName(d)), Outcome.GraphdriverNotUsed, "", Empty);
        Assert.Equal(Some<DriverName>("vfs"), ImageStoreChoice.HiddenGraphDriver(Prior("overlay2", "vfs"), Seq<DriverName>("btrfs", "vfs")));
        Assert.Equal(Some<DriverName>("overlay2"), ImageStoreChoice.HiddenGraphDriver(Prior("overlay2", "vfs"), Seq<DriverName>("overlay2", "vfs")));
        Assert.Equal(Some<DriverName>("btrfs"), ImageStoreChoice.HiddenGraphDriver(Prior("zfs"), Seq<DriverName>("btrfs", "vfs")));
        Assert.Equal(Option<DriverName>.None, ImageStoreChoice.HiddenGraphDriver(Prior("overlay2"), Empty));
    }
}
