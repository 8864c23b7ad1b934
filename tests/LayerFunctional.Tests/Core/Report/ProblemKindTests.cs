namespace LayerFunctional.Tests.Core.Report;

/// <summary>Every kind of report.md has its stable name, and the kinds report.md does not list are exactly these.</summary>
public class ProblemKindTests
{
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
            new[] { "container_config_invalid", "container_crashes_daemon", "container_host_config_invalid", "container_name_conflict", "container_without_mount", "containerd_blob_corrupt", "containerd_blob_missing", "containerd_blob_unreferenced", "containerd_container_layer_missing", "containerd_metadata_invalid", "containerd_migration_fails", "containerd_migration_hides_images", "containerd_orphan_snapshot_dir", "containerd_snapshot_dir_missing", "containerd_snapshot_missing", "containerd_snapshot_parent_missing", "containerd_snapshot_unreferenced", "deprecated_driver_state", "driver_not_supported", "layerdb_absent", "layerdb_not_used", "layerdb_unreadable", "mount_without_container", "overlay_link_folder_invalid", "unregistered_driver_dir" },
            ours.Except(reportKinds).Order(StringComparer.Ordinal));
    }
}
