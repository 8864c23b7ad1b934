using System.Globalization;
using LanguageExt;
using LayerFunctional.Content;
using static LayerFunctional.Go.GoText;

namespace LayerFunctional;

/// <summary>
/// The one place where findings become English: a <see cref="Problem"/>'s message (one line, the offending bytes quoted
/// and escaped as Go's <c>%q</c> does) and its consequence (what moby drops or does because of it), from its
/// <see cref="Fact"/>, its fields and its <see cref="Cascade"/>. Pure; the renderers (JSON, report, tables) call it. The
/// wording is pinned by the explain tests and the golden files.
/// </summary>
public static class Explain
{
    /// <summary>The one-line message of a problem.</summary>
    /// <param name="p">The problem.</param>
    public static string Message(Problem p) => p.Fact switch
    {
        Fact.LayerDbUnlistable f => $"cannot list {p.Path}: {f.Reason}",
        Fact.LayerFolderFault f => Message(f.Error),
        Fact.ParentFolderMissing f => $"parent names {f.Parent.Map(c => c.ToString()).IfNone("")}, which has no layer folder",
        Fact.ParentCycle f => "parent links loop: " + string.Join(" -> ", LoopText(f.Layer, f.Loop)),
        Fact.AncestorUnloadable f => $"ancestor {f.Ancestor} does not load",
        Fact.MountFolderFault f => Message(f.Error),
        Fact.MountParentUnloadable f => f.FolderMissing ? $"parent {f.Parent} has no layer folder" : $"parent layer {f.Parent} does not load",
        Fact.SizeNegative f => $"size is {f.Size.ToString(CultureInfo.InvariantCulture)}",
        Fact.ChainIdMismatch f => f.Parent.Match(
            Some: parent => $"sha256(\"{parent} {f.DiffID}\") is {f.Computed}, not the folder's name",
            None: () => $"a base layer's chain ID must equal its diff ID {f.DiffID}"),

        Fact.LayerFolderIsSymlink f => $"{Quote(f.Name)} is a symbolic link",
        Fact.InvalidLayerFolderName f => f.Type == Snapshot.EntryType.Directory
            ? $"folder name {Quote(f.Name)} is not a valid {(f.UpperCaseAccepted ? "" : "lower-case ")}sha256 digest"
            : f.Name.Contains('\uFFFD', StringComparison.Ordinal)
                ? $"{Quote(f.Name)} is not valid UTF-8 (undecodable bytes shown as U+FFFD); not a sha256 digest either"
                : $"{Quote(f.Name)} is not a folder",
        Fact.RemovalLeftover => "a layer folder renamed for removal whose deletion did not finish",
        Fact.StaleTransaction f => f.Empty ? "an empty layer transaction folder" : "an uncommitted layer transaction (a pull or build died before the final rename)",
        Fact.OversizedFile f => $"{f.Length} bytes, where moby writes at most a few hundred",

        Fact.DepthAtLimit f => $"depth {f.Limit}: moby's limit",
        Fact.DepthExceeded f => $"depth {f.Depth}, over moby's limit of {f.Limit} ({Wording.Plural(f.Deeper, "layer")} in all are deeper than the limit)",

        Fact.TarSplitMissing => "tar-split.json.gz is missing",
        Fact.TarSplitInvalid f => "tar-split.json.gz is not a complete tar-split stream: " + f.Reason,

        Fact.DriverHomeMissing f => $"{p.Path}/ is {(f.Empty ? "empty" : "missing")} but {f.LayerDb} names layers and mounts",
        Fact.CacheIdNotAFolderName f =>
            $"layer {f.Layer.Short}'s cache ID {Quote(Cache(p))} cannot name a folder in {f.Driver}/ (it is '.' or '..', holds '/' or NUL, or is over 255 bytes)",
        Fact.CacheFolderMissing f => $"layer {f.Layer.Short}'s cache ID names no {f.Driver} folder",
        Fact.MountFolderMissing f => $"mount {MountName(p)}'s mount ID names no {f.Driver} folder",
        Fact.InitFolderMissing f => $"mount {MountName(p)}'s init ID names no {f.Driver} folder",
        Fact.OrphanFolder => $"no layer, mount or init layer references {Quote(Cache(p))}",
        Fact.UnregisteredFolder f => $"no layer, mount or init layer references {Quote(Cache(p))}, but {f.NamedBy} names it as the other folder of its mount",
        Fact.LayerFolderUnregistered f =>
            $"no layer, mount or init layer references {Quote(Cache(p))}, but {f.LowerFile} places it as the folder of layer {f.Layer.Short}, whose cache-id is missing or blank",
        Fact.ContainerFolderUnregistered f =>
            $"no layer, mount or init layer references {Quote(Cache(p))}, but it is the only {(f.Init ? "init" : "read-write")} folder on layer {f.Top.Short}, the top layer of the image of container {f.Container}, whose mount folder is gone",
        Fact.LinkFileUnusable f => f.Missing ? "the link file is missing" : "the link file is empty",
        Fact.LinkNamesUnknown f => $"{f.Driver}/{Cache(p)}/link names short link {Quote(f.Name)}, which is missing",
        Fact.LinkFolderInvalid f => f.Missing ? $"{f.Driver}/l, the folder of short links, is missing" : $"{f.Driver}/l is not a folder",
        Fact.ContainerdMetadataInvalid f => $"not a readable bbolt file: {f.Why}",
        Fact.ContainerdPathOutsideRoot f => $"a symbolic link on the way leads out of the docker root, to {f.Target}: not read",
        Fact.ContainerdBlobMissing f => f.RecordMissing
            ? $"image {f.Image} needs {f.Digest}, which the metadata store has no record of"
            : $"image {f.Image} needs {f.Digest}, whose blob file is missing",
        Fact.ContainerdSnapshotMissing f => $"snapshot {f.Key} is {Quote(f.BackendName)} to the {f.Snapshotter} snapshotter, whose own store has no such snapshot",
        Fact.ContainerdSnapshotDirMissing f => $"the {f.Snapshotter} snapshotter's folder of snapshot {f.Key} is missing",
        Fact.ContainerdSnapshotParentMissing f => $"snapshot {f.Key} names parent {f.Parent}, which has no record",
        Fact.ContainerdOrphanSnapshotDir f => $"no snapshot record of the {f.Snapshotter} snapshotter names this folder",
        Fact.ContainerdBlobUnreferenced f => $"blob {f.Digest} is held by no image, lease or gc.root label",
        Fact.ContainerdBlobCorrupt f => f.Unreadable.Match(
            Some: why => $"blob {f.Digest} cannot be read: {why}",
            None: () => f.Actual.Match(
                Some: actual => $"blob {f.Digest} hashes to {actual} ({f.Bytes} bytes)",
                None: () => $"blob {f.Digest} holds {f.Bytes} bytes; its record says {f.RecordSize.IfNone(0)}")),
        Fact.MigrationStops f => $"features.containerd-migration copies {f.Images} image(s) into the containerd store, and this layer's tar stream cannot be read ({f.Cause.Id()})",
        Fact.MigrationHidesImages f => $"features.containerd-migration switches to the containerd store, which holds {f.ContainerdImages} image(s) already, so the {f.Images} image(s) of {f.Driver} are not copied",
        Fact.ContainerdSnapshotUnreferenced f => $"{f.Snapshotter} snapshot {f.Key} is held by no image, container, lease, gc.root label or snapshot above it",
        Fact.LowerEntriesInvalid f =>
            $"lower names {string.Join(", ", f.Entries.Map(e => Quote(e)))}, which {(f.Entries.Count == 1 ? "does" : "do")} not lead to a layer",
        Fact.ShortLinkDangling f => $"l/{f.Name} points to {Quote(f.Target)}, which does not exist",

        Fact.ImageConfigInvalid f => f.Error,
        Fact.ImageTopLayerMissing f =>
            $"top layer {f.Top.Map(t => t.ToString()).IfNone("")} of image {f.Image[..12]} is not among the loaded layers",

        Fact.MountWithoutContainer => "no container folder names this mount (a builder or BuildKit mount, or a removed container's)",
        Fact.ContainerConfigFault f => f.Error,
        Fact.ContainerIdMismatch f => $"config.v2.json has ID {Quote(f.ConfigId.Value)}: moby's 'Container {f.ConfigId} is stored at {f.FolderId}'",
        Fact.ContainerOsUnsupported f => $"config.v2.json has OS {Quote(f.OS)}: the operating system is not supported",
        Fact.ContainerWithoutMount f =>
            $"container {(f.Name.Length > 0 ? f.Name : f.Id.Short)} has no mount folder in {f.LayerDb}/mounts",
        Fact.ContainerdContainerLayerMissing f =>
            $"container {(f.Name.Length > 0 ? f.Name : f.Id.Short)} has "
            + (f.SnapshotMissing && f.LeaseMissing ? "no " + f.Snapshotter + " snapshot and no lease" : f.SnapshotMissing ? "no " + f.Snapshotter + " snapshot" : "no lease")
            + " of its ID in the containerd store",
        Fact.ContainerNameConflict f => $"{f.Count} containers are named {Quote(f.Name)}",
        Fact.ContainerCrashesDaemon f => f.Cause switch
        {
            DaemonPanic.NullHostConfig => "hostconfig.json holds null: moby's InitDNSHostConfig dereferences the nil host config (container/container.go)",
            DaemonPanic.NullStateAtRestore => "config.v2.json has \"State\": null: moby's restore calls IsRunning on the nil state (daemon/daemon.go)",
            DaemonPanic.NoConfigObject => "config.v2.json has no \"Config\" object: moby's Daemon.Register dereferences the nil Config (daemon/container.go)",
            DaemonPanic.NoStateObject => "config.v2.json has no \"State\" object: moby's Daemon.Register dereferences the nil State (daemon/container.go)",
            _ => "config.v2.json has no \"NetworkSettings\" object and hostconfig.json's NetworkMode is \"default\": the restore migrates the default network through the nil NetworkSettings (daemon/daemon.go)",
        },

        Fact.ContentDiffers f => $"layer {f.Layer.Short}: {f.Difference.Detail}",

        Fact.RemovedDriverState f => $"{f.Driver}/ holds data of the {f.Driver} driver, which moby {f.Version} no longer has",
        Fact.HostLacksDriver f => $"the host cannot run the {f.Driver} driver (said with --host-lacks {f.Driver}): moby {f.Version}'s {f.MobyError}",
        Fact.DriverNotRegistered f => f.MobyError,
        Fact.OtherDriverState f => $"{f.Driver}/ holds data of the {f.Driver} driver while {f.Chosen} is chosen explicitly",
        Fact.DeprecatedDriverState f => $"{f.Driver}/ holds prior state of the deprecated {f.Driver} driver",
        Fact.AmbiguousPriorDrivers f => $"prior state of {f.Driver} ({f.Prior.Count} drivers have prior state: {string.Join(", ", f.Prior)})",
        Fact.LayerDbAbsent => $"{p.Path} does not exist",
        Fact.LayerDbNotUsed f => $"{p.Path} holds {f.Layers} layer folder(s) and {f.Mounts} mount folder(s)",
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Fact.GetType().Name, "a fact without wording"),
    };

    // layer-store.md §7.3: up to 29.3 restore drops a container whose mount does not load; from 29.4 it keeps it without one.
    private const string MountLost = "its container loses its read-write layer (up to 29.3 moby drops the container at start-up)";

    /// <summary>What moby drops or does because of a problem: the fact's consequence, then what a failing layer drops
    /// with it (descendant layers and mounts, then images and containers).</summary>
    /// <param name="p">The problem.</param>
    public static string Consequence(Problem p) => Base(p) + Drops(p.Cascade) + Also(p.Cascade);

    /// <summary>The message of a layer or mount folder error: which file fails and how, its bytes quoted.</summary>
    /// <param name="e">The error.</param>
    public static string Message(LayerError e) => e switch
    {
        LayerError.FolderEmpty => "the layer folder is empty (no diff, size or cache-id)",
        LayerError.FolderMissing => "the layer folder does not exist",
        LayerError.FileMissing => $"{Path.GetFileName(e.Path)} is missing",
        LayerError.FileUnreadable u => $"{Path.GetFileName(e.Path)} cannot be read: {u.Reason}",
        LayerError.Malformed m => $"{Path.GetFileName(e.Path)} is {m.Quoted}: {m.Reason}",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "an error without wording"),
    };

    /// <summary>The phrase naming a layer's users, e.g. <c>used by 2 images (3f1a…, 9b2c…) and 1 container (/web-1)</c>
    /// (at most five names each).</summary>
    /// <param name="users">The users.</param>
    public static string Usage(LayerUsers users)
    {
        static string List(Seq<string> names) => names.Count <= 5 ? string.Join(", ", names) : string.Join(", ", names.Take(5)) + ", …";
        var parts = new List<string>();
        if (users.Images.Count > 0) parts.Add($"{Wording.Plural(users.Images.Count, "image")} ({List(users.Images)})");
        if (users.Containers.Count > 0) parts.Add($"{Wording.Plural(users.Containers.Count, "container")} ({List(users.Containers)})");
        return parts.Count == 0 ? "no restored image or loaded container uses it" : "used by " + string.Join(" and ", parts);
    }

    private const string SkipsContainer = "moby skips the container at start-up ('failed to load container')";
    private const string PanicsRestoring = "the daemon panics while restoring containers and does not start until this folder is fixed or moved away";
    private const string LinkUnusable = "layers on top of this one cannot name it in their lower list; mounting them fails";

    private static string Base(Problem p) => p.Fact switch
    {
        Fact.LayerDbUnlistable => "moby's layer store fails to open, so the daemon refuses to start",
        Fact.LayerFolderFault f => ReadConsequence(f.Error.Kind, $"layer {f.Layer.Short}"),
        Fact.ParentFolderMissing f => $"moby skips layer {f.Layer.Short}",
        Fact.ParentCycle f => $"moby recurses without end and the daemon crashes with a stack overflow; here layer {f.Layer.Short} is skipped",
        Fact.AncestorUnloadable f => $"moby skips layer {f.Layer.Short} with its ancestor",
        Fact.MountFolderFault f => ReadConsequence(f.Error.Kind, "this mount") + ": " + MountLost,
        Fact.MountParentUnloadable => "moby skips this mount: " + MountLost,
        Fact.SizeNegative => "moby loads it; image and disk-usage sizes built on it are wrong",
        Fact.ChainIdMismatch => "moby loads it, but images computing this chain ID cannot reach it, and save/push fail to verify it",

        Fact.LayerFolderIsSymlink => "moby does not list it; it loads only as another layer's parent, and then gives no reference to its own parent",
        Fact.InvalidLayerFolderName => "moby's listing ignores it",
        Fact.RemovalLeftover f => f.RemovedAtShutdown
            ? p.CacheId.Match(c => $"moby removes it and driver folder {c} only at a clean daemon shutdown", () => "moby never removes it: it has no readable cache-id")
            : "moby before 20.10 never creates or removes such folders",
        Fact.StaleTransaction => p.CacheId.Match(c => $"moby never removes it; driver folder {c} belongs to no layer", () => "moby never removes it"),
        Fact.OversizedFile => "moby reads the whole file and judges its content like any other; a tool with a smaller read limit may not",

        Fact.DepthAtLimit => "moby refuses to register any layer on top of it (builds and commits on this image fail)",
        Fact.DepthExceeded => "moby loads it, but overlay2 cannot mount more than 128 lower layers and nothing can be registered on it",

        Fact.TarSplitMissing f => $"docker save and push of images with layer {f.Layer.Short} fail: its tar stream cannot be rebuilt",
        Fact.TarSplitInvalid f => $"docker save and push of images with layer {f.Layer.Short} fail",

        Fact.DriverHomeMissing f => f.Loaded
            ? $"the content of {Wording.Plural(f.Layers, "loaded layer")} and {Wording.Plural(f.Mounts, "mount")} is not there: containers cannot start and images cannot be saved or pushed"
            : $"the content of the {Wording.Plural(f.Layers, "layer folder")} and {Wording.Plural(f.Mounts, "mount folder")} of {f.LayerDb} is not there: naming the driver would load layers without their data; restore {p.Path}/ from a backup, or remove {f.LayerDb} and pull the images again",
        Fact.CacheIdNotAFolderName f =>
            $"moby loads the layer, but the {f.Driver} driver looks for its content outside its own folder or fails: containers on it cannot start and save/push fail",
        Fact.CacheFolderMissing => "moby loads the layer, but containers on it fail to start and save/push fail",
        Fact.MountFolderMissing => "its container cannot start: the read-write layer is gone",
        Fact.InitFolderMissing => "its container cannot start: the init layer is gone",
        Fact.OrphanFolder f => f.InLowerChain
            ? "no layerdb entry names it, but layers that load still mount through it (their lower chain names it): recover its layerdb entry rather than delete it"
            : f.UnreadNamer.Match(
                Some: namer => namer.Why switch
                {
                    UnreadNamer.Reason.CacheIdLost =>
                        $"kept out of the clean-up plan: {namer.Path} is missing or blank, so that layer's content may be this folder; restore the cache-id and check again",
                    UnreadNamer.Reason.ContainerWithoutMount =>
                        $"kept out of the clean-up plan: {namer.Path} has no mount folder, and this folder may hold its read-write or init layer; restore the container's mount (mounts/<id>/mount-id, init-id, parent) or remove the container, and check again",
                    UnreadNamer.Reason.MountIdsLost =>
                        $"kept out of the clean-up plan: {namer.Path} has neither a mount-id nor an init-id, and this folder may hold its container's read-write or init layer; restore them and check again",
                    UnreadNamer.Reason.CacheIdDangling =>
                        $"kept out of the clean-up plan: {namer.Path} names a folder that is not there, or one another layer's cache-id names too, so that layer's content may be this folder; restore the cache-id and check again",
                    UnreadNamer.Reason.NotListed =>
                        $"kept out of the clean-up plan: {namer.Path} is not a layer folder moby lists, so the check did not read it, and it may name this folder; look at it and check again",
                    _ => $"kept out of the clean-up plan: {namer.Path} could not be read and may name it; make it readable and check again",
                },
                None: () => "disk space that docker system prune never frees; safe to remove once the daemon is stopped"),
        Fact.UnregisteredFolder =>
            "moby does not use it, but it holds a container's data: repair the mount's ID file rather than delete it (never in the clean-up plan)",
        Fact.LayerFolderUnregistered f =>
            $"moby does not use it, but it holds layer {f.Layer.Short}'s content: write its name into {f.CacheIdFile} (the repair plan does) rather than delete it (never in the clean-up plan)",
        Fact.ContainerFolderUnregistered f =>
            $"moby does not use it, but it holds container {f.Container}'s {(f.Init ? "init" : "read-write")} layer: re-create its mount folder (the repair plan does) rather than delete it (never in the clean-up plan)",
        Fact.LinkFileUnusable => LinkUnusable,
        Fact.LinkNamesUnknown => "mounts that go through this layer fail until the short link is recreated",
        Fact.ContainerdMetadataInvalid => "containerd cannot open its store, so dockerd, which uses it for images, fails to start",
        Fact.ContainerdPathOutsideRoot => "containerd follows the link, so what is there is not checked: check the store where it really is with --containerd-root",
        Fact.ContainerdBlobMissing => "dockerd lists the image, but cannot inspect, run or push it: pull it again",
        Fact.ContainerdSnapshotMissing => "containers and layers on this snapshot cannot be mounted",
        Fact.ContainerdSnapshotDirMissing => "its content is gone: containers and layers on it cannot be mounted",
        Fact.ContainerdSnapshotParentMissing => "the snapshot cannot be mounted: its lower layers are gone",
        // containerd's overlayfs and native snapshotters delete every folder no record names when they remove a snapshot
        // (Remove → getCleanupDirectories, or Cleanup after garbage collection): observed with containerd 1.6.
        Fact.ContainerdOrphanSnapshotDir => "disk space held until the snapshotter next removes a snapshot (an image or a container removed): its clean-up then deletes every folder no record names",
        Fact.ContainerdBlobUnreferenced => "containerd's garbage collection deletes it at its next run",
        Fact.ContainerdBlobCorrupt => "the bytes are not what the digest promises: the images that need this blob fail to unpack, run, push or save; pull them again",
        Fact.MigrationStops => "the copy stops there, and dockerd starts on the containerd store: the graph driver's images are visible in neither store",
        Fact.MigrationHidesImages => "dockerd starts on the containerd store: the graph driver's images are visible in neither store (turn the feature off, or remove the containerd store's images first)",
        Fact.ContainerdSnapshotUnreferenced => "containerd's garbage collection deletes it, and its folder, at its next run",
        Fact.LinkFolderInvalid f => f.Missing
            ? $"every short link is gone with it: {f.Driver} makes the folder again, empty, at start-up, and mounts that go through the layers fail until the links are recreated"
            : $"{f.Driver}'s start-up fails (mkdir {f.Driver}/l: not a directory), so the daemon refuses to start",
        Fact.LowerEntriesInvalid => "mounting this layer (a container on it, or a build step) fails",
        Fact.ShortLinkDangling => "harmless in itself, but a sign of a removal that did not finish",

        Fact.ImageConfigInvalid f => $"moby skips image {f.Image[..12]} at start-up (error log 'invalid image')",
        Fact.ImageTopLayerMissing f => f.StopsDaemon
            ? "moby before 18.03 stops at start-up: 'layer does not exist'"
            : $"moby skips image {f.Image[..12]} ('not restoring image'); containers of it lose their image",

        Fact.MountWithoutContainer => "moby loads it but nothing ever releases it: its read-write and init folders are never freed",
        Fact.ContainerConfigFault or Fact.ContainerIdMismatch or Fact.ContainerOsUnsupported => SkipsContainer,
        Fact.ContainerWithoutMount f => f.Kept
            ? "moby keeps it without a read-write layer: it can only be removed"
            : "moby drops the container at start-up ('failed to load container mount')",
        Fact.ContainerdContainerLayerMissing f => f.Kept
            ? "moby keeps it without a read-write layer: it can only be removed"
            : "moby drops the container at start-up ('failed to load container mount')",
        Fact.ContainerNameConflict => "moby restores whichever registers the name first and drops the others ('failed to register container name')",
        Fact.ContainerCrashesDaemon f => f.Cause == DaemonPanic.NullHostConfig
            ? "the daemon panics while loading containers and does not start until this folder is fixed or moved away"
            : (f.IfRegistersFirst ? "if it registers its name first, " : "") + PanicsRestoring,

        Fact.ContentDiffers f => ContentConsequence(f.Difference.Kind) + "; " + Usage(f.Users),

        Fact.RemovedDriverState f =>
            $"moby {f.Version} ignores it: its images and containers are not there after an upgrade; load it with an older --moby-version",
        Fact.HostLacksDriver => "the daemon refuses to start; start it where the driver works, or move the data to another driver",
        Fact.DriverNotRegistered => "the daemon refuses to start; choose another --driver or an older --moby-version",
        Fact.OtherDriverState f => $"its layers and containers are not loaded with {f.Chosen}",
        Fact.DeprecatedDriverState f => $"moby {f.Version} refuses to start unless the storage driver is set to {f.Driver}",
        Fact.AmbiguousPriorDrivers => "the daemon refuses to start; choose a driver explicitly or move this folder away",
        Fact.LayerDbAbsent => "moby would create it and start with no layers; this tool creates nothing",
        Fact.LayerDbNotUsed f => (f.ContainerdStore
            ? $"moby {f.Version} uses the containerd image store and ignores them: these images and containers are not there"
            : $"moby {f.Version} picks {f.Picked.IfNone("another driver")} by priority and ignores them") + f.Why switch
            {
                LayerDbIgnored.DriverHomeMissing => $" (their data folder {f.Driver}/ is gone: naming the driver would not bring them back)",
                LayerDbIgnored.DriverRemoved => $" (moby {f.Version} has no {f.Driver} driver: load them with an older --moby-version)",
                _ => " (name the driver to keep them)",
            },
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Fact.GetType().Name, "a fact without wording"),
    };

    /// <summary>What a file that cannot be parsed, or that the check cannot read, means for moby.</summary>
    private static string ReadConsequence(ProblemKind kind, string subject) => kind switch
    {
        ProblemKind.NotARegularFile =>
            $"moby cannot read it as a file (a folder fails, a FIFO blocks dockerd's start-up): {subject} is not loaded",
        ProblemKind.EntryUnreadable =>
            $"the check cannot read it and counts {subject} as not loaded; dockerd, running as root, may read it",
        ProblemKind.FileTooLarge =>
            $"not read past the read limit; counted as a failure of {subject} (moby reads the whole file)",
        ProblemKind.SymlinkOutsideRoot =>
            $"the link is not followed; counted as a failure of {subject} (moby follows it)",
        _ => $"moby skips {subject}",
    };

    private static string ContentConsequence(DifferenceKind kind) => kind switch
    {
        DifferenceKind.FileAdded =>
            "containers on it see a file the image does not have; save and push do not notice (the file is not in the tar stream)",
        DifferenceKind.RecordedSize =>
            "moby reports a wrong size for this layer (docker image ls, docker system df); save and push still work",
        DifferenceKind.FileContent =>
            "docker save and push of images using it fail (tar-split: \"file integrity checksum failed\"); containers on it see the changed file",
        DifferenceKind.Stream =>
            "docker save and push of images using it fail (moby: \"could not verify layer data … internal files in the layer store were modified\")",
        _ => "docker save and push of images using it fail (moby: \"could not verify layer data … internal files in the layer store were modified\"); containers on it see the changed files",
    };

    private static string Drops(Cascade c) => (c.Layers, c.Mounts) switch
    {
        (0, 0) => "",
        (_, 0) => $"; drops {Wording.Plural(c.Layers, "descendant layer")} with it",
        (0, _) => $"; drops {Wording.Plural(c.Mounts, "mount")} with it",
        _ => $"; drops {Wording.Plural(c.Layers, "descendant layer")} and {Wording.Plural(c.Mounts, "mount")} with it",
    };

    private static string Also(Cascade c)
    {
        var parts = new List<string>();
        if (c.Images > 0) parts.Add($"{Wording.Plural(c.Images, "image")} skipped at restore");
        if (c.Containers > 0) parts.Add(c.ContainersKept
            ? $"{Wording.Plural(c.Containers, "container")} kept without a read-write layer"
            : $"{Wording.Plural(c.Containers, "container")} dropped at start-up");
        return parts.Count == 0 ? "" : "; also " + string.Join(" and ", parts);
    }

    /// <summary>The loop from <paramref name="layer"/> round to itself, at most 8 names shown (a loop of thousands of
    /// layers would otherwise make every member's message as long as the loop).</summary>
    private static Seq<string> LoopText(ChainID layer, Seq<ChainID> loop)
    {
        var members = loop.ToArray();
        var start = System.Array.IndexOf(members, layer);
        const int shown = 8;
        var names = Enumerable.Range(0, Math.Min(members.Length, shown)).Select(i => members[(start + i) % members.Length].Short).ToList();
        names.Add(members.Length > shown ? $"… ({members.Length} layers in the loop) … {layer.Short}" : layer.Short);
        return names.ToSeq().Strict();
    }

    private static string Cache(Problem p) => p.CacheId.IfNone("");

    private static string MountName(Problem p) => p.Mount.Map(static m => m.Value).IfNone("");
}
