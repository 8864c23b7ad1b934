using LanguageExt;
using LayerFunctional.Snapshot;

namespace LayerFunctional;

/// <summary>
/// What a check found, as data: the values a problem's explanation needs, one record per shape of finding. Checks build
/// facts and never text; <see cref="Explain"/> turns a <see cref="Problem"/> and its fact into the message and the
/// consequence, in one place. A fact holds the typed values its wording needs beyond the problem's path, mount name and
/// driver folder (which the explanation reads from the problem); a layer is held as its <see cref="ChainID"/>. Grouped by
/// the check family that finds them.
/// </summary>
public abstract record Fact
{
    private protected Fact() { }

    // ---- The load (Graph/LayerStoreLoad.cs, moby's layer/layer_store.go) ----

    /// <summary><c>layerdb/sha256</c> or <c>layerdb/mounts</c> cannot be listed.</summary>
    /// <param name="Reason">The listing's error.</param>
    public sealed record LayerDbUnlistable(string Reason) : Fact;

    /// <summary>A layer folder fails as <c>loadLayer</c> reads it.</summary>
    /// <param name="Layer">The layer (chain ID of its folder).</param>
    /// <param name="Error">The first file that fails, or the folder that cannot be read.</param>
    public sealed record LayerFolderFault(ChainID Layer, LayerError Error) : Fact;

    /// <summary>A layer's <c>parent</c> names a chain ID that has no layer folder.</summary>
    /// <param name="Layer">The layer.</param>
    /// <param name="Parent">The chain ID its <c>parent</c> file names.</param>
    public sealed record ParentFolderMissing(ChainID Layer, Option<ChainID> Parent) : Fact;

    /// <summary>Parent links lead back to the layer.</summary>
    /// <param name="Layer">The layer.</param>
    /// <param name="Loop">The members of the loop, in link order from any member (shared by every member's problem).</param>
    public sealed record ParentCycle(ChainID Layer, Seq<ChainID> Loop) : Fact;

    /// <summary>The layer is sound, but an ancestor does not load.</summary>
    /// <param name="Layer">The layer.</param>
    /// <param name="Ancestor">The failing ancestor a cascade starts from.</param>
    public sealed record AncestorUnloadable(ChainID Layer, ChainID Ancestor) : Fact;

    /// <summary>A mount folder fails as moby's <c>loadMount</c> reads it.</summary>
    /// <param name="Error">The first file that fails.</param>
    public sealed record MountFolderFault(LayerError Error) : Fact;

    /// <summary>A mount's <c>parent</c> layer does not load.</summary>
    /// <param name="Parent">The parent chain ID.</param>
    /// <param name="FolderMissing">Whether it has no layer folder at all.</param>
    public sealed record MountParentUnloadable(ChainID Parent, bool FolderMissing) : Fact;

    /// <summary>A loaded layer's <c>size</c> is below zero.</summary>
    /// <param name="Size">The size read, in bytes.</param>
    public sealed record SizeNegative(long Size) : Fact;

    /// <summary>A loaded layer's folder name differs from the chain ID its parent and diff ID give.</summary>
    /// <param name="Parent">Its parent chain ID, if any.</param>
    /// <param name="DiffID">Its diff ID.</param>
    /// <param name="Computed">The chain ID they give.</param>
    public sealed record ChainIdMismatch(Option<ChainID> Parent, DiffID DiffID, ChainID Computed) : Fact;

    // ---- Listing and leftovers (Diagnostics/ListingChecks.cs) ----

    /// <summary>An entry of <c>sha256/</c> is a symbolic link.</summary>
    /// <param name="Name">The entry name.</param>
    public sealed record LayerFolderIsSymlink(string Name) : Fact;

    /// <summary>An entry of <c>sha256/</c> that the listing ignores.</summary>
    /// <param name="Name">The entry name (undecodable bytes as U+FFFD).</param>
    /// <param name="Type">Its type.</param>
    /// <param name="UpperCaseAccepted">Whether the release accepts upper-case hex (before 18.04).</param>
    public sealed record InvalidLayerFolderName(string Name, EntryType Type, bool UpperCaseAccepted) : Fact;

    /// <summary>A <c>sha256/&lt;hex&gt;-removing</c> folder: a removal that did not finish.</summary>
    /// <param name="RemovedAtShutdown">Whether the release removes such folders at a clean shutdown (20.10+).</param>
    public sealed record RemovalLeftover(bool RemovedAtShutdown) : Fact;

    /// <summary>A <c>tmp/write-set-*</c> folder: a layer transaction never committed.</summary>
    /// <param name="Empty">Whether the folder is empty.</param>
    public sealed record StaleTransaction(bool Empty) : Fact;

    /// <summary>A layer or mount file over the usual size, read whole.</summary>
    /// <param name="Length">Its length in bytes.</param>
    public sealed record OversizedFile(int Length) : Fact;

    // ---- Depth (Diagnostics/DepthChecks.cs) ----

    /// <summary>A layer exactly at moby's depth limit.</summary>
    /// <param name="Limit">moby's <c>maxLayerDepth</c>.</param>
    public sealed record DepthAtLimit(int Limit) : Fact;

    /// <summary>The first layer over moby's depth limit on its chain.</summary>
    /// <param name="Depth">Its depth.</param>
    /// <param name="Limit">moby's <c>maxLayerDepth</c>.</param>
    /// <param name="Deeper">How many loaded layers in all are deeper than the limit.</param>
    public sealed record DepthExceeded(int Depth, int Limit, int Deeper) : Fact;

    // ---- tar-split (Diagnostics/TarSplitChecks.cs) ----

    /// <summary>A loaded layer has no <c>tar-split.json.gz</c>.</summary>
    /// <param name="Layer">The layer.</param>
    public sealed record TarSplitMissing(ChainID Layer) : Fact;

    /// <summary>A loaded layer's <c>tar-split.json.gz</c> is not a complete tar-split stream.</summary>
    /// <param name="Layer">The layer.</param>
    /// <param name="Reason">What is wrong, e.g. <c>gzip stream ends early</c>.</param>
    public sealed record TarSplitInvalid(ChainID Layer, string Reason) : Fact;

    // ---- The graph driver's folders (Diagnostics/DriverFolderChecks.cs, OverlayLinkChecks.cs) ----

    /// <summary>The driver home is empty or missing while the layerdb names layers and mounts.</summary>
    /// <param name="Empty">Whether the home exists, empty.</param>
    /// <param name="LayerDb">The layerdb, relative to the root.</param>
    /// <param name="Layers">Loaded layers.</param>
    /// <param name="Mounts">Loaded mounts.</param>
    /// <param name="Loaded">Whether the layerdb is the one loaded (the chosen driver's); false for a layerdb these rules leave
    /// alone, whose counts are then its folders' (<see cref="LayerDbNotUsed"/>).</param>
    public sealed record DriverHomeMissing(bool Empty, string LayerDb, int Layers, int Mounts, bool Loaded = true) : Fact;

    /// <summary>A loaded layer's cache ID cannot name a folder of the driver home.</summary>
    /// <param name="Layer">The layer.</param>
    /// <param name="Driver">The driver.</param>
    public sealed record CacheIdNotAFolderName(ChainID Layer, DriverName Driver) : Fact;

    /// <summary>A loaded layer's cache ID names no folder of the driver.</summary>
    /// <param name="Layer">The layer.</param>
    /// <param name="Driver">The driver.</param>
    public sealed record CacheFolderMissing(ChainID Layer, DriverName Driver) : Fact;

    /// <summary>A loaded mount's mount ID names no folder of the driver.</summary>
    /// <param name="Driver">The driver.</param>
    public sealed record MountFolderMissing(DriverName Driver) : Fact;

    /// <summary>A loaded mount's init ID names no folder of the driver.</summary>
    /// <param name="Driver">The driver.</param>
    public sealed record InitFolderMissing(DriverName Driver) : Fact;

    /// <summary>A driver folder no layer, mount or init layer names.</summary>
    /// <param name="InLowerChain">Whether layers that load still mount through it (a lower chain names it).</param>
    /// <param name="UnreadNamer">A layerdb entry that may name it but whose cache ID the check does not know (the first, by
    /// path): while one exists the folder stays out of the clean-up plan.</param>
    public sealed record OrphanFolder(bool InLowerChain, Option<UnreadNamer> UnreadNamer = default) : Fact;

    /// <summary>A driver folder no layerdb file names as a cache, mount or init ID, but one names it by the other ID of
    /// its mount (Docker names a container's init folder <c>&lt;mount ID&gt;-init</c>): the mount's read-write or init
    /// folder, whose own ID file is missing or damaged.</summary>
    /// <param name="NamedBy">The file that names it, relative to the docker root (a mount's <c>init-id</c> or <c>mount-id</c>).</param>
    public sealed record UnregisteredFolder(string NamedBy) : Fact;

    /// <summary>A driver folder no layerdb file names, which the <c>lower</c> files of the folders above it place as the
    /// content of a layer whose <c>cache-id</c> is missing or blank (<see cref="Diagnostics.LostOwners"/>).</summary>
    /// <param name="Layer">The layer whose folder it is.</param>
    /// <param name="CacheIdFile">That layer's <c>cache-id</c> file, relative to the root (where the repair writes the name).</param>
    /// <param name="LowerFile">A <c>lower</c> file that places it (the first by path).</param>
    public sealed record LayerFolderUnregistered(ChainID Layer, string CacheIdFile, string LowerFile) : Fact;

    /// <summary>A driver folder no layerdb file names: the read-write or init folder of a container whose mount folder is
    /// gone, the only such pair on the top layer of its image (<see cref="Diagnostics.LostOwners"/>).</summary>
    /// <param name="Container">The container ID.</param>
    /// <param name="Top">The top layer of its image, which the pair sits on.</param>
    /// <param name="Init">True for the init folder, false for the read-write folder.</param>
    public sealed record ContainerFolderUnregistered(MountName Container, ChainID Top, bool Init) : Fact;

    /// <summary>An overlay2 folder has no <c>link</c> file, or an empty one.</summary>
    /// <param name="Missing">True when the file is missing, false when empty.</param>
    public sealed record LinkFileUnusable(bool Missing) : Fact;

    /// <summary>An overlay2 <c>link</c> names a short link that is not in <c>l/</c>.</summary>
    /// <param name="Name">The name it holds.</param>
    /// <param name="Driver">The driver.</param>
    public sealed record LinkNamesUnknown(string Name, DriverName Driver) : Fact;

    /// <summary>The driver home's <c>l/</c> folder of short links is missing, or is something other than a folder or a
    /// symbolic link (moby <c>overlay2/overlay.go</c> <c>Init</c>: <c>MkdirAllAndChown(home/l)</c> makes a missing one, and
    /// fails with ENOTDIR on a file).</summary>
    /// <param name="Missing">True when there is nothing at <c>l</c>.</param>
    /// <param name="Driver">The driver (overlay2 or fuse-overlayfs).</param>
    public sealed record LinkFolderInvalid(bool Missing, DriverName Driver) : Fact;

    /// <summary>A file or folder of the containerd store that a symbolic link on the way (the store's own folder, a plugin's
    /// folder, the file itself) leads out of the docker root: not read, and what is there not checked (containerd follows
    /// the link). The check stays inside the root it was given (README "Safe on hostile and damaged roots").</summary>
    /// <param name="Target">Where the path really leads (every link resolved).</param>
    public sealed record ContainerdPathOutsideRoot(string Target) : Fact;

    /// <summary>containerd's metadata store or the snapshotter's store cannot be read as a bbolt file.</summary>
    /// <param name="Why">The reader's error (<see cref="Containerd.BoltError"/>).</param>
    public sealed record ContainerdMetadataInvalid(string Why) : Fact;

    /// <summary>An image's target blob has no record, or no file in the content store.</summary>
    /// <param name="Digest">The target's digest.</param>
    /// <param name="Image">The image name.</param>
    /// <param name="RecordMissing">True when the metadata store has no record of the blob (else only its file is gone).</param>
    public sealed record ContainerdBlobMissing(string Digest, string Image, bool RecordMissing) : Fact;

    /// <summary>A snapshot record whose backend name the snapshotter's own store does not have.</summary>
    /// <param name="Key">The snapshot key (Docker: a chain ID, a container ID or <c>&lt;id&gt;-init</c>).</param>
    /// <param name="BackendName">The name the metadata store gives the snapshotter.</param>
    /// <param name="Snapshotter">The snapshotter.</param>
    public sealed record ContainerdSnapshotMissing(string Key, string BackendName, string Snapshotter) : Fact;

    /// <summary>A snapshot the snapshotter has, whose data folder is gone.</summary>
    /// <param name="Key">The snapshot key.</param>
    /// <param name="Snapshotter">The snapshotter.</param>
    public sealed record ContainerdSnapshotDirMissing(string Key, string Snapshotter) : Fact;

    /// <summary>A snapshot whose parent has no record.</summary>
    /// <param name="Key">The snapshot key.</param>
    /// <param name="Parent">The parent's key.</param>
    public sealed record ContainerdSnapshotParentMissing(string Key, string Parent) : Fact;

    /// <summary>A snapshot folder no record names.</summary>
    /// <param name="Snapshotter">The snapshotter.</param>
    public sealed record ContainerdOrphanSnapshotDir(string Snapshotter) : Fact;

    /// <summary>A blob garbage collection will delete: nothing that collection starts from leads to it.</summary>
    /// <param name="Digest">The blob's digest.</param>
    public sealed record ContainerdBlobUnreferenced(string Digest) : Fact;

    /// <summary>A container whose read-write layer the containerd store does not have.</summary>
    /// <param name="Name">Its name (empty when it has none).</param>
    /// <param name="Id">Its ID.</param>
    /// <param name="Snapshotter">The snapshotter.</param>
    /// <param name="SnapshotMissing">No snapshot is keyed by its ID.</param>
    /// <param name="LeaseMissing">No lease has its ID.</param>
    /// <param name="Kept">Whether the release keeps it without a read-write layer (29.4+) rather than dropping it.</param>
    public sealed record ContainerdContainerLayerMissing(string Name, MountName Id, string Snapshotter, bool SnapshotMissing, bool LeaseMissing, bool Kept) : Fact;

    /// <summary>A blob file that is not what its digest says.</summary>
    /// <param name="Digest">The blob's digest.</param>
    /// <param name="Actual">What its bytes hash to, when that differs.</param>
    /// <param name="Bytes">Its length in bytes (-1 when it could not be read).</param>
    /// <param name="RecordSize">The size its record gives, if any.</param>
    public sealed record ContainerdBlobCorrupt(string Digest, Option<string> Actual, long Bytes, Option<long> RecordSize) : Fact
    {
        /// <summary>Why the file could not be read, when it could not.</summary>
        public Option<string> Unreadable { get; init; }
    }

    /// <summary>A snapshot garbage collection will delete.</summary>
    /// <param name="Key">The snapshot's key.</param>
    /// <param name="Snapshotter">The snapshotter.</param>
    public sealed record ContainerdSnapshotUnreferenced(string Key, string Snapshotter) : Fact;

    /// <summary>The migration to the containerd store stops at this layer.</summary>
    /// <param name="Cause">The layer's own finding (tar-split missing or damaged, driver folder gone, content that does not hash).</param>
    /// <param name="Images">Images the migration was to copy.</param>
    public sealed record MigrationStops(ProblemKind Cause, int Images) : Fact;

    /// <summary>The migration copies nothing because the containerd store holds images already.</summary>
    /// <param name="Images">Images of the graph driver's store.</param>
    /// <param name="ContainerdImages">Images the containerd store holds.</param>
    /// <param name="Driver">The graph driver.</param>
    public sealed record MigrationHidesImages(int Images, int ContainerdImages, DriverName Driver) : Fact;

    /// <summary>Entries of an overlay2 <c>lower</c> file that do not lead to a layer.</summary>
    /// <param name="Entries">The entries, in file order.</param>
    public sealed record LowerEntriesInvalid(Seq<string> Entries) : Fact;

    /// <summary>An overlay2 short link that leads nowhere.</summary>
    /// <param name="Name">Its name under <c>l/</c>.</param>
    /// <param name="Target">Its link text.</param>
    public sealed record ShortLinkDangling(string Name, string Target) : Fact;

    // ---- Images (Diagnostics/ImageChecks.cs) ----

    /// <summary>An image config that moby does not restore: it does not verify or does not parse.</summary>
    /// <param name="Image">The image config's file name (the image ID's hex).</param>
    /// <param name="Error">Why, e.g. <c>the content does not hash to the file name (moby: failed to verify)</c>.</param>
    public sealed record ImageConfigInvalid(string Image, string Error) : Fact;

    /// <summary>An image config's top layer is not among the loaded layers.</summary>
    /// <param name="Image">The image config's file name (the image ID's hex).</param>
    /// <param name="Top">Its top layer's chain ID, if it has one.</param>
    /// <param name="StopsDaemon">Whether the release stops at start-up over it (before 18.03).</param>
    public sealed record ImageTopLayerMissing(string Image, Option<ChainID> Top, bool StopsDaemon) : Fact;

    // ---- Containers (Diagnostics/ContainerRestore.cs) ----

    /// <summary>A loaded mount no container folder names.</summary>
    public sealed record MountWithoutContainer : Fact;

    /// <summary>A container's config cannot be read or decoded as moby decodes it.</summary>
    /// <param name="Error">The decoder's error.</param>
    public sealed record ContainerConfigFault(string Error) : Fact;

    /// <summary>A container's <c>config.v2.json</c> holds another container's ID.</summary>
    /// <param name="ConfigId">The ID it holds.</param>
    /// <param name="FolderId">The folder's name.</param>
    public sealed record ContainerIdMismatch(MountName ConfigId, MountName FolderId) : Fact;

    /// <summary>A container for an operating system the release does not run (18.02 to 23.0).</summary>
    /// <param name="OS">The operating system it names.</param>
    public sealed record ContainerOsUnsupported(string OS) : Fact;

    /// <summary>A container of this driver whose mount folder is not listed.</summary>
    /// <param name="Name">Its name (empty when it has none).</param>
    /// <param name="Id">Its ID.</param>
    /// <param name="LayerDb">The layerdb, relative to the root.</param>
    /// <param name="Kept">Whether the release keeps it without a read-write layer (29.4+) rather than dropping it.</param>
    public sealed record ContainerWithoutMount(string Name, MountName Id, string LayerDb, bool Kept) : Fact;

    /// <summary>Several containers registered under one name.</summary>
    /// <param name="Count">How many.</param>
    /// <param name="Name">The name.</param>
    public sealed record ContainerNameConflict(int Count, string Name) : Fact;

    /// <summary>A container whose restore makes the daemon panic.</summary>
    /// <param name="Cause">What moby dereferences.</param>
    /// <param name="IfRegistersFirst">Whether it panics only if it wins a name conflict.</param>
    public sealed record ContainerCrashesDaemon(DaemonPanic Cause, bool IfRegistersFirst) : Fact;

    // ---- Content (Content/LayerContent.cs) ----

    /// <summary>A layer's content differs from what its diff ID and tar-split say.</summary>
    /// <param name="Layer">The layer.</param>
    /// <param name="Difference">The first difference.</param>
    /// <param name="Users">The restored images and loaded containers that use the layer.</param>
    public sealed record ContentDiffers(ChainID Layer, Content.ContentDifference Difference, Content.LayerUsers Users) : Fact;

    // ---- The driver choice (Drivers/DriverSelection.cs) and the layerdbs (Diagnostics/LayerDbUse.cs) ----

    /// <summary>A driver home of a driver the release no longer has.</summary>
    /// <param name="Driver">The driver.</param>
    /// <param name="Version">The release.</param>
    public sealed record RemovedDriverState(DriverName Driver, MobyVersion Version) : Fact;

    /// <summary>The host cannot run the chosen driver (<c>--host-lacks</c>).</summary>
    /// <param name="Driver">The driver.</param>
    /// <param name="Version">The release.</param>
    /// <param name="MobyError">moby's error, e.g. <c>driver not supported</c>.</param>
    public sealed record HostLacksDriver(DriverName Driver, MobyVersion Version, string MobyError) : Fact;

    /// <summary>The driver named explicitly is not one the release has.</summary>
    /// <param name="MobyError">Why, as moby's start-up error gives it.</param>
    public sealed record DriverNotRegistered(string MobyError) : Fact;

    /// <summary>Another driver's home holds data while a driver is named explicitly.</summary>
    /// <param name="Driver">The other driver.</param>
    /// <param name="Chosen">The driver named.</param>
    public sealed record OtherDriverState(DriverName Driver, DriverName Chosen) : Fact;

    /// <summary>Prior state of a deprecated driver.</summary>
    /// <param name="Driver">The driver.</param>
    /// <param name="Version">The release.</param>
    public sealed record DeprecatedDriverState(DriverName Driver, MobyVersion Version) : Fact;

    /// <summary>Several drivers have prior state.</summary>
    /// <param name="Driver">This driver.</param>
    /// <param name="Prior">Every driver with prior state, sorted.</param>
    public sealed record AmbiguousPriorDrivers(DriverName Driver, Seq<DriverName> Prior) : Fact;

    /// <summary>The chosen driver's layerdb does not exist.</summary>
    public sealed record LayerDbAbsent : Fact;

    /// <summary>A layerdb with content that these rules leave alone.</summary>
    /// <param name="Layers">Entries of its <c>sha256/</c>.</param>
    /// <param name="Mounts">Entries of its <c>mounts/</c>.</param>
    /// <param name="Version">The release.</param>
    /// <param name="ContainerdStore">Whether the release uses the containerd image store (else: a driver picked by priority).</param>
    /// <param name="Picked">The driver picked, if any.</param>
    /// <param name="Driver">The driver whose layerdb it is.</param>
    /// <param name="Why">Why naming that driver is no answer, if it is not: its home folder is gone, or the release has no such driver.</param>
    public sealed record LayerDbNotUsed(int Layers, int Mounts, MobyVersion Version, bool ContainerdStore, Option<DriverName> Picked, DriverName Driver = default,
        LayerDbIgnored Why = LayerDbIgnored.ByTheRules) : Fact;
}

/// <summary>What moby dereferences when a container's restore panics (<see cref="Fact.ContainerCrashesDaemon"/>).</summary>
public enum DaemonPanic
{
    /// <summary><c>hostconfig.json</c> holds <c>null</c>: <c>InitDNSHostConfig</c> (container/container.go).</summary>
    NullHostConfig,
    /// <summary><c>"State": null</c>: the restore calls <c>IsRunning</c> (daemon/daemon.go, 18.02+).</summary>
    NullStateAtRestore,
    /// <summary>No <c>"Config"</c> object: <c>Daemon.Register</c> (daemon/container.go).</summary>
    NoConfigObject,
    /// <summary>No <c>"State"</c> object: <c>Daemon.Register</c> (daemon/container.go, before 18.02).</summary>
    NoStateObject,
    /// <summary>No <c>"NetworkSettings"</c> with network mode <c>default</c> (daemon/daemon.go, 27.0+).</summary>
    NilNetworkSettings,
}

/// <summary>What a failing layer drops with it, beyond itself: filled by the load (descendant layers, mounts) and by
/// <see cref="Diagnostics.CascadeCosts"/> (images, containers). Zero everywhere for any other problem.</summary>
/// <param name="Layers">Descendant layers skipped with it.</param>
/// <param name="Mounts">Mounts skipped with it.</param>
/// <param name="Images">Images skipped at restore.</param>
/// <param name="Containers">Containers that lose their read-write layer.</param>
/// <param name="ContainersKept">Whether the release keeps such containers (29.4+) rather than dropping them.</param>
public sealed record Cascade(int Layers, int Mounts, int Images = 0, int Containers = 0, bool ContainersKept = false)
{
    /// <summary>Nothing dropped.</summary>
    public static Cascade None { get; } = new(0, 0);
}

/// <summary>Why a layerdb with content is left alone, beyond the rules that pick another store or driver.</summary>
public enum LayerDbIgnored
{
    /// <summary>Only the rules: naming the driver loads it.</summary>
    ByTheRules,
    /// <summary>Its driver's home folder is absent or empty: naming the driver would load layers whose content is gone.</summary>
    DriverHomeMissing,
    /// <summary>The release no longer has that driver (<c>removed_driver_state</c> at its home folder).</summary>
    DriverRemoved,
}

/// <summary>A layerdb entry that may name a driver folder, but whose name for it the check does not know: while one exists,
/// no driver folder is cleaned up (it may be the one the entry names).</summary>
/// <param name="Path">Relative to the docker root: the folder or ID file, or the layer's <c>cache-id</c> that is missing or
/// blank.</param>
/// <param name="Why">Why its name for a driver folder is unknown.</param>
public sealed record UnreadNamer(string Path, UnreadNamer.Reason Why)
{
    /// <summary>Why a layerdb entry's name for a driver folder is unknown.</summary>
    public enum Reason
    {
        /// <summary>The folder or ID file could not be read (permissions, not a regular file, a link out of the root, over
        /// the size cap).</summary>
        Unreadable,
        /// <summary>A layer folder whose <c>cache-id</c> is missing or blank: the layer does not load, but its content is in a
        /// driver folder nothing names any more.</summary>
        CacheIdLost,
        /// <summary>A folder or symbolic link under <c>sha256/</c> that moby does not list (a name that is not a chain ID's
        /// hex), so the check did not read it.</summary>
        NotListed,
        /// <summary>A container folder whose mount folder is missing: its read-write and init folders (a pair <c>X</c>,
        /// <c>X-init</c>) are named by nothing now, and may be these.</summary>
        ContainerWithoutMount,
        /// <summary>A mount folder with neither a readable <c>mount-id</c> nor <c>init-id</c>: its container's folders are named
        /// by nothing now.</summary>
        MountIdsLost,
        /// <summary>A layer whose <c>cache-id</c> names a folder that is not there, or one another layer's also names: its
        /// content may be in a folder nothing names.</summary>
        CacheIdDangling,
    }
}
