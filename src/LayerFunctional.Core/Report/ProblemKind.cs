namespace LayerFunctional;

/// <summary>
/// The problem kinds of <c>report.md</c>. Their snake_case names (<see cref="ProblemKinds.Id"/>) are
/// stable identifiers that users' scripts match on: new kinds may be added, none renamed.
/// </summary>
public enum ProblemKind
{
    /// <summary><c>layer_dir_empty</c>: the layer folder has no files at all.</summary>
    LayerDirEmpty,
    /// <summary><c>diff_id_missing</c>.</summary>
    DiffIdMissing,
    /// <summary><c>diff_id_invalid</c>.</summary>
    DiffIdInvalid,
    /// <summary><c>size_missing</c>.</summary>
    SizeMissing,
    /// <summary><c>size_invalid</c>: not exactly a signed decimal int64 (moby does not trim it).</summary>
    SizeInvalid,
    /// <summary><c>size_negative</c>: parses, but below zero (moby loads it).</summary>
    SizeNegative,
    /// <summary><c>cache_id_missing</c>.</summary>
    CacheIdMissing,
    /// <summary><c>cache_id_invalid</c>.</summary>
    CacheIdInvalid,
    /// <summary><c>parent_invalid</c>: present but empty or not a valid digest.</summary>
    ParentInvalid,
    /// <summary><c>parent_layer_missing</c>: names a chain ID with no layer folder.</summary>
    ParentLayerMissing,
    /// <summary><c>descriptor_invalid</c>.</summary>
    DescriptorInvalid,
    /// <summary><c>ancestor_unloadable</c>: sound itself, but an ancestor does not load.</summary>
    AncestorUnloadable,
    /// <summary><c>parent_cycle</c>: parent links lead back to the layer (moby crashes).</summary>
    ParentCycle,
    /// <summary><c>chain_id_mismatch</c>: folder name differs from the chain ID computed from parent and diff.</summary>
    ChainIdMismatch,
    /// <summary><c>layer_depth_at_limit</c>.</summary>
    LayerDepthAtLimit,
    /// <summary><c>layer_depth_exceeded</c>.</summary>
    LayerDepthExceeded,
    /// <summary><c>invalid_layer_dir_entry</c>: an entry under <c>sha256/</c> that the listing ignores.</summary>
    InvalidLayerDirEntry,
    /// <summary><c>layer_dir_is_symlink</c>.</summary>
    LayerDirIsSymlink,
    /// <summary><c>removal_leftover</c>.</summary>
    RemovalLeftover,
    /// <summary><c>stale_transaction</c>.</summary>
    StaleTransaction,
    /// <summary><c>tar_split_missing</c>.</summary>
    TarSplitMissing,
    /// <summary><c>tar_split_invalid</c>.</summary>
    TarSplitInvalid,
    /// <summary><c>layer_content_mismatch</c>: with content verification (<c>check --content</c>), the tar stream rebuilt
    /// from tar-split and the driver's folder does not hash to the diff ID, or the folder holds a file the tar-split does not list
    /// (a warning when only the recorded size is off).</summary>
    LayerContentMismatch,
    /// <summary><c>mount_id_missing</c>.</summary>
    MountIdMissing,
    /// <summary><c>mount_id_invalid</c>.</summary>
    MountIdInvalid,
    /// <summary><c>init_id_invalid</c>.</summary>
    InitIdInvalid,
    /// <summary><c>mount_parent_invalid</c>.</summary>
    MountParentInvalid,
    /// <summary><c>mount_parent_unloadable</c>.</summary>
    MountParentUnloadable,
    /// <summary><c>ambiguous_prior_drivers</c>: the daemon refuses to start.</summary>
    AmbiguousPriorDrivers,
    /// <summary><c>removed_driver_state</c>: prior state of a driver this release no longer registers.</summary>
    RemovedDriverState,
    /// <summary><c>deprecated_driver_state</c>: prior state of a deprecated driver that 23.0/24.0 refuse to
    /// pick automatically (added to report.md's list; the daemon refuses to start).</summary>
    DeprecatedDriverState,
    /// <summary><c>driver_not_supported</c>: the driver named explicitly is removed or not registered in
    /// this release (added to report.md's list; the daemon refuses to start).</summary>
    DriverNotSupported,
    /// <summary><c>driver_home_missing</c>.</summary>
    DriverHomeMissing,
    /// <summary><c>other_driver_state</c>: with <c>--driver</c>, prior state of another driver is present.</summary>
    OtherDriverState,
    /// <summary><c>cache_dir_missing</c>.</summary>
    CacheDirMissing,
    /// <summary><c>mount_dir_missing</c>.</summary>
    MountDirMissing,
    /// <summary><c>init_dir_missing</c>.</summary>
    InitDirMissing,
    /// <summary><c>orphan_driver_dir</c>.</summary>
    OrphanDriverDir,
    /// <summary><c>unregistered_driver_dir</c>: a driver folder no loaded layer or mount uses that a layerdb file still
    /// names (a mount's folder from its other ID): recoverable, never in the clean-up plan.</summary>
    UnregisteredDriverDir,
    /// <summary><c>overlay_link_file_empty</c>.</summary>
    OverlayLinkFileEmpty,
    /// <summary><c>overlay_link_symlink_missing</c>.</summary>
    OverlayLinkSymlinkMissing,
    /// <summary><c>overlay_link_folder_invalid</c>: overlay2's <c>l/</c> folder of short links is missing (every short link
    /// with it), or is not a folder (overlay2's init fails, so the daemon refuses to start).</summary>
    OverlayLinkFolderInvalid,
    /// <summary><c>containerd_metadata_invalid</c>: containerd's <c>meta.db</c>, or the snapshotter's <c>metadata.db</c>, is
    /// not a bbolt file that can be read (containerd fails on it, and dockerd with it).</summary>
    ContainerdMetadataInvalid,
    /// <summary><c>containerd_blob_missing</c>: a blob an image needs (its target, or a manifest, config or layer the target's
    /// labels lead to) has no blob record or no blob file.</summary>
    ContainerdBlobMissing,
    /// <summary><c>containerd_blob_unreferenced</c>: a blob no image, lease or root label holds: containerd's garbage
    /// collection deletes it at its next run (info).</summary>
    ContainerdBlobUnreferenced,
    /// <summary><c>containerd_blob_corrupt</c> (with <c>--content</c>): a blob file whose bytes do not hash to its digest, whose
    /// length is not its record's size, or that cannot be read.</summary>
    ContainerdBlobCorrupt,
    /// <summary><c>containerd_snapshot_unreferenced</c>: a snapshot no image, container, lease or root label holds, directly or
    /// as a parent: garbage collection deletes it at its next run (info).</summary>
    ContainerdSnapshotUnreferenced,
    /// <summary><c>containerd_migration_fails</c>: with <c>features.containerd-migration</c>, dockerd switches to the
    /// containerd store and copies the graph driver's images, but the tar stream of this layer cannot be read: the copy stops
    /// and the images are visible in neither store.</summary>
    ContainerdMigrationFails,
    /// <summary><c>containerd_container_layer_missing</c>: with the containerd store, a container whose read-write layer (the
    /// snapshot keyed by its ID, held by the lease of its ID) is gone.</summary>
    ContainerdContainerLayerMissing,
    /// <summary><c>containerd_migration_hides_images</c>: dockerd switches to the containerd store, which holds images already,
    /// so the graph driver's images are not copied: they are visible in neither store.</summary>
    ContainerdMigrationHidesImages,
    /// <summary><c>containerd_snapshot_missing</c>: a snapshot record of the metadata store that the snapshotter's own store
    /// does not have.</summary>
    ContainerdSnapshotMissing,
    /// <summary><c>containerd_snapshot_dir_missing</c>: the snapshotter has the snapshot, but its <c>snapshots/&lt;ID&gt;</c>
    /// folder is gone.</summary>
    ContainerdSnapshotDirMissing,
    /// <summary><c>containerd_snapshot_parent_missing</c>: a snapshot whose parent snapshot has no record.</summary>
    ContainerdSnapshotParentMissing,
    /// <summary><c>containerd_orphan_snapshot_dir</c>: a folder under the snapshotter's <c>snapshots/</c> that no record
    /// names (disk space nothing frees).</summary>
    ContainerdOrphanSnapshotDir,
    /// <summary><c>overlay_symlink_dangling</c>.</summary>
    OverlaySymlinkDangling,
    /// <summary><c>overlay_lower_entry_invalid</c>.</summary>
    OverlayLowerEntryInvalid,
    /// <summary><c>image_config_invalid</c>.</summary>
    ImageConfigInvalid,
    /// <summary><c>image_layer_missing</c>.</summary>
    ImageLayerMissing,
    /// <summary><c>layerdb_unreadable</c>: <c>sha256/</c> or <c>mounts/</c> cannot be listed, so moby's
    /// store and the daemon fail (added to report.md's list).</summary>
    LayerdbUnreadable,
    /// <summary><c>mount_without_container</c>: a mount folder that no <c>containers/&lt;id&gt;</c> folder names
    /// (a builder or BuildKit leftover, or a removed container's): its driver folders are never freed
    /// (added to report.md's list).</summary>
    MountWithoutContainer,
    /// <summary><c>container_without_mount</c>: a container of the chosen driver with no mount folder: moby
    /// drops it (to 29.3) or keeps it without a read-write layer (29.4+) (added to report.md's list).</summary>
    ContainerWithoutMount,
    /// <summary><c>container_config_invalid</c>: a <c>containers/&lt;id&gt;</c> folder whose <c>config.v2.json</c> is
    /// missing, unreadable or not a JSON object as Go decodes it: moby drops the container at start-up
    /// ("failed to load container") (added to report.md's list).</summary>
    ContainerConfigInvalid,
    /// <summary><c>layerdb_not_used</c>: a layerdb with layers or mounts that the chosen rules ignore (29.0's
    /// containerd store, or another driver picked by priority): its images and containers are not there
    /// (added to report.md's list).</summary>
    LayerdbNotUsed,
    /// <summary><c>layerdb_absent</c>: the chosen driver has no layerdb folder; moby would create it and
    /// start with no layers (added to report.md's list; info).</summary>
    LayerdbAbsent,
    /// <summary><c>entry_unreadable</c>.</summary>
    EntryUnreadable,
    /// <summary><c>not_a_regular_file</c>.</summary>
    NotARegularFile,
    /// <summary><c>file_too_large</c>.</summary>
    FileTooLarge,
    /// <summary><c>symlink_outside_root</c>.</summary>
    SymlinkOutsideRoot,
    /// <summary><c>container_host_config_invalid</c>: a container's <c>hostconfig.json</c> that Go's decoder rejects
    /// (not JSON, not an object, unreadable): moby skips the container at start-up ("failed to load container").</summary>
    ContainerHostConfigInvalid,
    /// <summary><c>container_crashes_daemon</c>: a container whose config decodes but leaves a pointer the restore
    /// dereferences nil (<c>config.v2.json</c> without a <c>Config</c> object, <c>"State": null</c>, a <c>hostconfig.json</c>
    /// holding <c>null</c>, from 27.0 no <c>NetworkSettings</c> with the network mode <c>default</c>): the daemon panics at start-up (nil pointer dereference).</summary>
    ContainerCrashesDaemon,
    /// <summary><c>container_name_conflict</c>: several containers with the same <c>Name</c>: moby restores one of them,
    /// whichever registers first, and drops the others ("failed to register container name").</summary>
    ContainerNameConflict,
}

/// <summary>Severity of a problem (report.md): error, warning or info.</summary>
public enum Severity
{
    /// <summary>A fact worth knowing.</summary>
    Info,
    /// <summary>Wasted space, or a state only some moby releases accept.</summary>
    Warning,
    /// <summary>moby loses or refuses something, or will fail when it is used.</summary>
    Error,
}

/// <summary>Names and default severities of <see cref="ProblemKind"/> values.</summary>
public static class ProblemKinds
{
    /// <summary>The stable snake_case identifier, e.g. <c>ancestor_unloadable</c>.</summary>
    /// <param name="kind">A kind.</param>
    public static string Id(this ProblemKind kind)
    {
        var name = kind.ToString();
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>The stable lower-case name of a severity.</summary>
    /// <param name="severity">A severity.</param>
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

    /// <summary>The severity a kind carries unless the context says otherwise.</summary>
    /// <param name="kind">A kind.</param>
    public static Severity DefaultSeverity(this ProblemKind kind) => kind switch
    {
        ProblemKind.SizeNegative or ProblemKind.LayerDepthAtLimit or ProblemKind.InvalidLayerDirEntry
            or ProblemKind.LayerDirIsSymlink or ProblemKind.RemovalLeftover or ProblemKind.StaleTransaction
            or ProblemKind.OtherDriverState or ProblemKind.OrphanDriverDir or ProblemKind.UnregisteredDriverDir or ProblemKind.OverlaySymlinkDangling
            or ProblemKind.OverlayLinkSymlinkMissing or ProblemKind.ContainerdOrphanSnapshotDir or ProblemKind.FileTooLarge or ProblemKind.SymlinkOutsideRoot
            or ProblemKind.MountWithoutContainer or ProblemKind.ContainerdMigrationHidesImages
            => Severity.Warning,
        ProblemKind.LayerdbAbsent or ProblemKind.ContainerdBlobUnreferenced or ProblemKind.ContainerdSnapshotUnreferenced => Severity.Info,
        _ => Severity.Error,
    };
}
