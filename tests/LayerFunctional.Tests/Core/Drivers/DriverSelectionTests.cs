using LanguageExt;
using LayerFunctional.Drivers;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>graphdriver.New's decision per release (layer-store.md §6.2–§6.4, §10).</summary>
public class DriverSelectionTests
{
    private static MobyVersion V(string v) => MobyVersion.Parse(v).IfLeft(e => throw new ArgumentException(e));

    private static Map<string, DriverHomeState> Homes(params (string Name, DriverHomeState State)[] homes) => toMap(homes);

    private static string Decide(string moby, Option<string> explicitDriver, params (string, DriverHomeState)[] homes)
    {
        var d = DriverSelection.Decide(V(moby), explicitDriver, Homes(homes));
        return $"{d.Outcome.Id()}:{d.Name.IfNone("-")}:{d.SelectedBy.Map(s => s.Id()).IfNone("-")}:{string.Join("+", d.Problems.Map(p => p.Kind.Id() + "@" + p.Path))}";
    }

    private const DriverHomeState Data = DriverHomeState.NonEmptyDirectory;
    private const DriverHomeState EmptyDir = DriverHomeState.EmptyDirectory;

    [Theory]
    [InlineData("17.06", "loaded:overlay2:priority:")]
    [InlineData("20.10", "loaded:overlay2:priority:")]
    [InlineData("28.0", "loaded:overlay2:priority:")]
    [InlineData("29.0", "graphdriver_not_used:-:-:")]
    public void Without_prior_state_29_uses_containerd_and_older_releases_pick_by_priority(string moby, string expected) =>
        Assert.Equal(expected, Decide(moby, None));

    [Theory]
    [InlineData("29.0", "loaded:overlay2:prior_state:")]
    [InlineData("17.06", "loaded:overlay2:prior_state:")]
    public void Prior_overlay2_state_is_chosen(string moby, string expected) =>
        Assert.Equal(expected, Decide(moby, None, ("overlay2", Data)));

    [Fact]
    public void Vfs_state_never_counts_as_prior_so_29_switches_to_containerd() =>
        Assert.Equal("graphdriver_not_used:-:-:", Decide("29.0", None, ("vfs", Data)));

    [Fact]
    public void A_regular_file_named_like_a_driver_counts_as_prior_state() =>
        Assert.Equal("loaded:overlay2:prior_state:", Decide("29.0", None, ("overlay2", DriverHomeState.NotADirectory)));

    [Theory]
    [InlineData("17.06", "daemon_refuses_to_start:-:-:ambiguous_prior_drivers@btrfs+ambiguous_prior_drivers@overlay2")]
    [InlineData("17.12", "loaded:overlay2:prior_state:")]
    [InlineData("29.0", "loaded:overlay2:prior_state:")]
    public void Empty_driver_folders_count_as_prior_state_before_17_12(string moby, string expected) =>
        Assert.Equal(expected, Decide(moby, None, ("overlay2", Data), ("btrfs", EmptyDir)));

    [Fact]
    public void Two_prior_drivers_make_the_daemon_refuse_to_start() =>
        Assert.Equal("daemon_refuses_to_start:-:-:ambiguous_prior_drivers@btrfs+ambiguous_prior_drivers@overlay2",
            Decide("29.0", None, ("overlay2", Data), ("btrfs", Data)));

    [Fact]
    public void An_explicit_driver_resolves_ambiguity_and_reports_the_other_state() =>
        Assert.Equal("loaded:overlay2:explicit:other_driver_state@btrfs",
            Decide("29.0", Some("overlay2"), ("overlay2", Data), ("btrfs", Data)));

    [Theory]
    [InlineData("20.10", "loaded:aufs:prior_state:")]
    [InlineData("23.0", "daemon_refuses_to_start:-:-:deprecated_driver_state@aufs")]
    [InlineData("24.0", "loaded:overlay2:priority:removed_driver_state@aufs")]
    [InlineData("28.0", "loaded:overlay2:priority:removed_driver_state@aufs")]
    [InlineData("29.0", "graphdriver_not_used:-:-:removed_driver_state@aufs")]
    public void Aufs_state_across_releases(string moby, string expected) =>
        Assert.Equal(expected, Decide(moby, None, ("aufs", Data)));

    [Theory]
    [InlineData("23.0", "loaded:devicemapper:explicit:")]
    [InlineData("24.0", "loaded:devicemapper:explicit:")]
    [InlineData("25.0", "daemon_refuses_to_start:-:-:driver_not_supported@devicemapper")]
    public void Explicit_devicemapper_until_it_is_removed(string moby, string expected) =>
        Assert.Equal(expected, Decide(moby, Some("devicemapper"), ("devicemapper", Data)));

    [Fact]
    public void Devicemapper_prior_state_is_an_error_in_24() =>
        Assert.Equal("daemon_refuses_to_start:-:-:deprecated_driver_state@devicemapper", Decide("24.0", None, ("devicemapper", Data)));

    [Theory]
    [InlineData("20.10", "loaded:fuse-overlayfs:explicit:")]
    [InlineData("18.06", "daemon_refuses_to_start:-:-:driver_not_supported@fuse-overlayfs")]
    [InlineData("29.0", "daemon_refuses_to_start:-:-:driver_not_supported@nosuchdriver")]
    public void Explicit_driver_must_be_registered(string moby, string expected) =>
        Assert.Equal(expected, Decide(moby, Some(expected.Contains("nosuch", StringComparison.Ordinal) ? "nosuchdriver" : "fuse-overlayfs")));

    [Fact]
    public void Highest_priority_prior_driver_is_tried_first_in_17_09_to_20_10()
    {
        // btrfs comes before overlay2 in 17.09-20.10; with only btrfs state, btrfs is chosen.
        Assert.Equal("loaded:btrfs:prior_state:", Decide("18.06", None, ("btrfs", Data)));
    }

    [Theory]
    [InlineData("17.06", "17.06")]
    [InlineData("v23.0", "23.0")]
    [InlineData("29", "29.0")]
    [InlineData("28.0.2", "28.0")]
    [InlineData("18.9", "18.09")]
    public void Versions_parse(string text, string expected) =>
        Assert.Equal(expected, MobyVersion.Parse(text).Map(v => v.ToString()).IfLeft(e => e));

    [Theory]
    [InlineData("17.03")]
    [InlineData("21.0")]
    [InlineData("30.0")]
    [InlineData("latest")]
    [InlineData("")]
    public void Unknown_versions_are_refused(string text) => Assert.True(MobyVersion.Parse(text).IsLeft);

    [Fact]
    public void Every_report_md_kind_has_a_stable_name()
    {
        string[] reportKinds =
        [
            "layer_dir_empty", "diff_id_missing", "diff_id_invalid", "size_missing", "size_invalid", "size_negative",
            "cache_id_missing", "cache_id_invalid", "parent_invalid", "parent_layer_missing", "descriptor_invalid",
            "ancestor_unloadable", "parent_cycle", "chain_id_mismatch", "layer_depth_at_limit", "layer_depth_exceeded",
            "invalid_layer_dir_entry", "layer_dir_is_symlink", "removal_leftover", "stale_transaction", "tar_split_missing",
            "tar_split_invalid", "layer_content_mismatch", "mount_id_missing", "mount_id_invalid", "init_id_invalid",
            "mount_parent_invalid", "mount_parent_unloadable", "ambiguous_prior_drivers", "removed_driver_state",
            "driver_home_missing", "other_driver_state", "cache_dir_missing", "mount_dir_missing", "init_dir_missing",
            "orphan_driver_dir", "overlay_link_file_empty", "overlay_link_symlink_missing", "overlay_symlink_dangling",
            "overlay_lower_entry_invalid", "image_config_invalid", "image_layer_missing", "entry_unreadable",
            "not_a_regular_file", "file_too_large", "symlink_outside_root",
        ];
        var ours = Enum.GetValues<ProblemKind>().Select(k => k.Id()).ToHashSet(StringComparer.Ordinal);
        Assert.All(reportKinds, k => Assert.Contains(k, ours));
        Assert.Equal(
            new[] { "container_config_invalid", "container_crashes_daemon", "container_host_config_invalid", "container_name_conflict", "container_without_mount", "deprecated_driver_state", "driver_not_supported", "layerdb_absent", "layerdb_not_used", "layerdb_unreadable", "mount_without_container" },
            ours.Except(reportKinds).Order(StringComparer.Ordinal));
    }
}
