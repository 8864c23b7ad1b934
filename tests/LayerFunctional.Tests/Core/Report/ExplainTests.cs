using System.Text;
using LanguageExt;
using LayerFunctional.Content;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Report;

/// <summary>The wording of every fact, pinned once: the message and the consequence <see cref="Explain"/> makes of a
/// problem (its fact, its fields, its cascade). Check tests assert kinds, paths and facts; this is where the English is.</summary>
public class ExplainTests
{
    private static readonly MobyVersion V29 = MobyVersion.Parse("29.0").IfLeft(e => throw new ArgumentException(e));
    private static ChainID Chain(string seed) => ChainID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(seed)));
    private static readonly ChainID A = Chain("a"), B = Chain("b"), C = Chain("c");
    private static readonly DiffID Diff = DiffID.FromDigest(Digest.Sha256Of("d"u8.ToArray()));
    private const string Db = "image/overlay2/layerdb";

    private static Problem P(Fact fact, string path = "some/path", Option<string> mount = default, Option<string> cache = default) =>
        new(ProblemKind.SizeInvalid, Severity.Error, path, None, mount.Map(static m => new MountName(m)), cache, fact);

    /// <summary>One row per fact (and per wording branch): the problem, its message, its consequence.</summary>
    private static TheoryData<string, Problem, string, string> Rows()
    {
        var sizeError = new LayerError.Malformed(Db + "/sha256/x/size", ProblemKind.SizeInvalid, "\"x\"", "strconv.ParseInt: parsing \"x\": invalid syntax");
        var unreadable = new LayerError.FileUnreadable(Db + "/mounts/m/mount-id", ProblemKind.NotARegularFile, "it is a fifo");
        var rows = new TheoryData<string, Problem, string, string>
        {
            { "layerdb unlistable", P(new Fact.LayerDbUnlistable("permission denied"), Db + "/sha256"),
                $"cannot list {Db}/sha256: permission denied", "moby's layer store fails to open, so the daemon refuses to start" },
            { "layer folder fault", P(new Fact.LayerFolderFault(A, sizeError)) with { Cascade = new Cascade(3, 2) },
                "size is \"x\": strconv.ParseInt: parsing \"x\": invalid syntax", $"moby skips layer {A.Short}; drops 3 descendant layers and 2 mounts with it" },
            { "layer folder fault, unreadable", P(new Fact.LayerFolderFault(A, new LayerError.FileUnreadable("d/diff", ProblemKind.EntryUnreadable, "permission denied"))),
                "diff cannot be read: permission denied", $"the check cannot read it and counts layer {A.Short} as not loaded; dockerd, running as root, may read it" },
            { "layer folder fault, too large", P(new Fact.LayerFolderFault(A, new LayerError.FileUnreadable("d/cache-id", ProblemKind.FileTooLarge, "big"))) with { Cascade = new Cascade(1, 0) },
                "cache-id cannot be read: big", $"not read past the read limit; counted as a failure of layer {A.Short} (moby reads the whole file); drops 1 descendant layer with it" },
            { "layer folder fault, outside", P(new Fact.LayerFolderFault(A, new LayerError.FileUnreadable("d/parent", ProblemKind.SymlinkOutsideRoot, "link"))) with { Cascade = new Cascade(0, 1) },
                "parent cannot be read: link", $"the link is not followed; counted as a failure of layer {A.Short} (moby follows it); drops 1 mount with it" },
            { "empty folder", P(new Fact.LayerFolderFault(A, new LayerError.FolderEmpty("d"))),
                "the layer folder is empty (no diff, size or cache-id)", $"moby skips layer {A.Short}" },
            { "missing file", P(new Fact.LayerFolderFault(A, new LayerError.FileMissing("d/diff", ProblemKind.DiffIdMissing))) with { Cascade = new Cascade(0, 0, 2, 1, ContainersKept: true) },
                "diff is missing", $"moby skips layer {A.Short}; also 2 images skipped at restore and 1 container kept without a read-write layer" },
            { "parent folder missing", P(new Fact.ParentFolderMissing(A, Some(B))) with { Cascade = new Cascade(0, 0, 0, 2) },
                $"parent names {B}, which has no layer folder", $"moby skips layer {A.Short}; also 2 containers dropped at start-up" },
            { "parent cycle", P(new Fact.ParentCycle(B, Seq(A, B, C))),
                $"parent links loop: {B.Short} -> {C.Short} -> {A.Short} -> {B.Short}",
                $"moby recurses without end and the daemon crashes with a stack overflow; here layer {B.Short} is skipped" },
            { "ancestor unloadable", P(new Fact.AncestorUnloadable(A, B)), $"ancestor {B} does not load", $"moby skips layer {A.Short} with its ancestor" },
            { "mount folder fault", P(new Fact.MountFolderFault(unreadable)), "mount-id cannot be read: it is a fifo",
                "moby cannot read it as a file (a folder fails, a FIFO blocks dockerd's start-up): this mount is not loaded: its container loses its read-write layer (up to 29.3 moby drops the container at start-up)" },
            { "mount parent unloadable", P(new Fact.MountParentUnloadable(A, FolderMissing: false)), $"parent layer {A} does not load",
                "moby skips this mount: its container loses its read-write layer (up to 29.3 moby drops the container at start-up)" },
            { "mount parent missing", P(new Fact.MountParentUnloadable(A, FolderMissing: true)), $"parent {A} has no layer folder",
                "moby skips this mount: its container loses its read-write layer (up to 29.3 moby drops the container at start-up)" },
            { "size negative", P(new Fact.SizeNegative(-5)), "size is -5", "moby loads it; image and disk-usage sizes built on it are wrong" },
            { "chain ID mismatch", P(new Fact.ChainIdMismatch(Some(A), Diff, C)), $"sha256(\"{A} {Diff}\") is {C}, not the folder's name",
                "moby loads it, but images computing this chain ID cannot reach it, and save/push fail to verify it" },
            { "base chain ID mismatch", P(new Fact.ChainIdMismatch(None, Diff, C)), $"a base layer's chain ID must equal its diff ID {Diff}",
                "moby loads it, but images computing this chain ID cannot reach it, and save/push fail to verify it" },

            { "symlinked layer folder", P(new Fact.LayerFolderIsSymlink("ab\n")), "\"ab\\n\" is a symbolic link",
                "moby does not list it; it loads only as another layer's parent, and then gives no reference to its own parent" },
            { "bad folder name", P(new Fact.InvalidLayerFolderName("mounts", EntryType.Directory, UpperCaseAccepted: false)),
                "folder name \"mounts\" is not a valid lower-case sha256 digest", "moby's listing ignores it" },
            { "bad folder name, old release", P(new Fact.InvalidLayerFolderName("x", EntryType.Directory, UpperCaseAccepted: true)),
                "folder name \"x\" is not a valid sha256 digest", "moby's listing ignores it" },
            { "undecodable name", P(new Fact.InvalidLayerFolderName("a\uFFFD", EntryType.Other, UpperCaseAccepted: false)),
                "\"a\uFFFD\" is not valid UTF-8 (undecodable bytes shown as U+FFFD); not a sha256 digest either", "moby's listing ignores it" },
            { "file in sha256", P(new Fact.InvalidLayerFolderName("notes", EntryType.File, UpperCaseAccepted: false)), "\"notes\" is not a folder", "moby's listing ignores it" },
            { "removal leftover", P(new Fact.RemovalLeftover(RemovedAtShutdown: true), cache: "c1"),
                "a layer folder renamed for removal whose deletion did not finish", "moby removes it and driver folder c1 only at a clean daemon shutdown" },
            { "removal leftover without cache-id", P(new Fact.RemovalLeftover(RemovedAtShutdown: true)),
                "a layer folder renamed for removal whose deletion did not finish", "moby never removes it: it has no readable cache-id" },
            { "removal leftover, old release", P(new Fact.RemovalLeftover(RemovedAtShutdown: false), cache: "c1"),
                "a layer folder renamed for removal whose deletion did not finish", "moby before 20.10 never creates or removes such folders" },
            { "stale transaction", P(new Fact.StaleTransaction(Empty: false), cache: "c1"),
                "an uncommitted layer transaction (a pull or build died before the final rename)", "moby never removes it; driver folder c1 belongs to no layer" },
            { "empty transaction", P(new Fact.StaleTransaction(Empty: true)), "an empty layer transaction folder", "moby never removes it" },
            { "oversized file", P(new Fact.OversizedFile(70000)), "70000 bytes, where moby writes at most a few hundred",
                "moby reads the whole file and judges its content like any other; a tool with a smaller read limit may not" },

            { "depth at limit", P(new Fact.DepthAtLimit(125)), "depth 125: moby's limit",
                "moby refuses to register any layer on top of it (builds and commits on this image fail)" },
            { "depth exceeded", P(new Fact.DepthExceeded(126, 125, 1)), "depth 126, over moby's limit of 125 (1 layer in all are deeper than the limit)",
                "moby loads it, but overlay2 cannot mount more than 128 lower layers and nothing can be registered on it" },
            { "tar-split missing", P(new Fact.TarSplitMissing(A)), "tar-split.json.gz is missing",
                $"docker save and push of images with layer {A.Short} fail: its tar stream cannot be rebuilt" },
            { "tar-split invalid", P(new Fact.TarSplitInvalid(A, "gzip stream ends early")), "tar-split.json.gz is not a complete tar-split stream: gzip stream ends early",
                $"docker save and push of images with layer {A.Short} fail" },

            { "driver home empty", P(new Fact.DriverHomeMissing(Empty: true, Db, 1, 2), "overlay2"), $"overlay2/ is empty but {Db} names layers and mounts",
                "the content of 1 loaded layer and 2 mounts is not there: containers cannot start and images cannot be saved or pushed" },
            { "driver home missing", P(new Fact.DriverHomeMissing(Empty: false, Db, 2, 1), "overlay2"), $"overlay2/ is missing but {Db} names layers and mounts",
                "the content of 2 loaded layers and 1 mount is not there: containers cannot start and images cannot be saved or pushed" },
            { "cache ID not a name", P(new Fact.CacheIdNotAFolderName(A, "overlay2"), cache: "../../etc"),
                $"layer {A.Short}'s cache ID \"../../etc\" cannot name a folder in overlay2/ (it is '.' or '..', holds '/' or NUL, or is over 255 bytes)",
                "moby loads the layer, but the overlay2 driver looks for its content outside its own folder or fails: containers on it cannot start and save/push fail" },
            { "cache folder missing", P(new Fact.CacheFolderMissing(A, "vfs")), $"layer {A.Short}'s cache ID names no vfs folder",
                "moby loads the layer, but containers on it fail to start and save/push fail" },
            { "mount folder missing", P(new Fact.MountFolderMissing("overlay2"), mount: "m"), "mount m's mount ID names no overlay2 folder",
                "its container cannot start: the read-write layer is gone" },
            { "init folder missing", P(new Fact.InitFolderMissing("overlay2"), mount: "m"), "mount m's init ID names no overlay2 folder",
                "its container cannot start: the init layer is gone" },
            { "orphan", P(new Fact.OrphanFolder(InLowerChain: false), cache: "stray"), "no layer, mount or init layer references \"stray\"",
                "disk space that docker system prune never frees; safe to remove once the daemon is stopped" },
            { "orphan kept for an unread file", P(new Fact.OrphanFolder(InLowerChain: false, new UnreadNamer("image/overlay2/layerdb/mounts/c4/mount-id", UnreadNamer.Reason.Unreadable)), cache: "stray"),
                "no layer, mount or init layer references \"stray\"",
                "kept out of the clean-up plan: image/overlay2/layerdb/mounts/c4/mount-id could not be read and may name it; make it readable and check again" },
            { "orphan kept for a lost cache ID", P(new Fact.OrphanFolder(InLowerChain: false, new UnreadNamer("image/overlay2/layerdb/sha256/ab/cache-id", UnreadNamer.Reason.CacheIdLost)), cache: "stray"),
                "no layer, mount or init layer references \"stray\"",
                "kept out of the clean-up plan: image/overlay2/layerdb/sha256/ab/cache-id is missing or blank, so that layer's content may be this folder; restore the cache-id and check again" },
            { "orphan kept for a container without its mount", P(new Fact.OrphanFolder(InLowerChain: false, new UnreadNamer("containers/box", UnreadNamer.Reason.ContainerWithoutMount)), cache: "rw"),
                "no layer, mount or init layer references \"rw\"",
                "kept out of the clean-up plan: containers/box has no mount folder, and this folder may hold its read-write or init layer; restore the container's mount (mounts/<id>/mount-id, init-id, parent) or remove the container, and check again" },
            { "orphan kept for a mount without its IDs", P(new Fact.OrphanFolder(InLowerChain: false, new UnreadNamer("image/overlay2/layerdb/mounts/c1", UnreadNamer.Reason.MountIdsLost)), cache: "rw"),
                "no layer, mount or init layer references \"rw\"",
                "kept out of the clean-up plan: image/overlay2/layerdb/mounts/c1 has neither a mount-id nor an init-id, and this folder may hold its container's read-write or init layer; restore them and check again" },
            { "orphan kept for a dangling cache ID", P(new Fact.OrphanFolder(InLowerChain: false, new UnreadNamer("image/overlay2/layerdb/sha256/ab/cache-id", UnreadNamer.Reason.CacheIdDangling)), cache: "x"),
                "no layer, mount or init layer references \"x\"",
                "kept out of the clean-up plan: image/overlay2/layerdb/sha256/ab/cache-id names a folder that is not there, or one another layer's cache-id names too, so that layer's content may be this folder; restore the cache-id and check again" },
            { "orphan kept for an unlisted folder", P(new Fact.OrphanFolder(InLowerChain: false, new UnreadNamer("image/overlay2/layerdb/sha256/ABCDEF", UnreadNamer.Reason.NotListed)), cache: "stray"),
                "no layer, mount or init layer references \"stray\"",
                "kept out of the clean-up plan: image/overlay2/layerdb/sha256/ABCDEF is not a layer folder moby lists, so the check did not read it, and it may name this folder; look at it and check again" },
            { "orphan in a lower chain", P(new Fact.OrphanFolder(InLowerChain: true), cache: "x"), "no layer, mount or init layer references \"x\"",
                "no layerdb entry names it, but layers that load still mount through it (their lower chain names it): recover its layerdb entry rather than delete it" },
            { "unregistered", P(new Fact.UnregisteredFolder("image/overlay2/layerdb/mounts/c1/init-id"), cache: "ab"),
                "no layer, mount or init layer references \"ab\", but image/overlay2/layerdb/mounts/c1/init-id names it as the other folder of its mount",
                "moby does not use it, but it holds a container's data: repair the mount's ID file rather than delete it (never in the clean-up plan)" },
            { "unregistered layer folder", P(new Fact.LayerFolderUnregistered(A, Db + "/sha256/a/cache-id", "overlay2/up/lower"), cache: "ab"),
                $"no layer, mount or init layer references \"ab\", but overlay2/up/lower places it as the folder of layer {A.Short}, whose cache-id is missing or blank",
                $"moby does not use it, but it holds layer {A.Short}'s content: write its name into {Db}/sha256/a/cache-id (the repair plan does) rather than delete it (never in the clean-up plan)" },
            { "unregistered read-write folder", P(new Fact.ContainerFolderUnregistered("c1", B, Init: false), cache: "rw"),
                $"no layer, mount or init layer references \"rw\", but it is the only read-write folder on layer {B.Short}, the top layer of the image of container c1, whose mount folder is gone",
                "moby does not use it, but it holds container c1's read-write layer: re-create its mount folder (the repair plan does) rather than delete it (never in the clean-up plan)" },
            { "unregistered init folder", P(new Fact.ContainerFolderUnregistered("c1", B, Init: true), cache: "rw-init"),
                $"no layer, mount or init layer references \"rw-init\", but it is the only init folder on layer {B.Short}, the top layer of the image of container c1, whose mount folder is gone",
                "moby does not use it, but it holds container c1's init layer: re-create its mount folder (the repair plan does) rather than delete it (never in the clean-up plan)" },
            { "containerd store unreadable", P(new Fact.ContainerdMetadataInvalid("bad magic")), "not a readable bbolt file: bad magic",
                "containerd cannot open its store, so dockerd, which uses it for images, fails to start" },
            { "containerd path outside the root", P(new Fact.ContainerdPathOutsideRoot("/mnt/other/meta.db")),
                "a symbolic link on the way leads out of the docker root, to /mnt/other/meta.db: not read",
                "containerd follows the link, so what is there is not checked: check the store where it really is with --containerd-root" },
            { "containerd blob file missing", P(new Fact.ContainerdBlobMissing("sha256:ab", "alpine:3", RecordMissing: false)),
                "image alpine:3 needs sha256:ab, whose blob file is missing", "dockerd lists the image, but cannot inspect, run or push it: pull it again" },
            { "containerd blob record missing", P(new Fact.ContainerdBlobMissing("sha256:ab", "alpine:3", RecordMissing: true)),
                "image alpine:3 needs sha256:ab, which the metadata store has no record of", "dockerd lists the image, but cannot inspect, run or push it: pull it again" },
            { "containerd snapshot missing", P(new Fact.ContainerdSnapshotMissing("k1", "moby/1/k1", "overlayfs")),
                "snapshot k1 is \"moby/1/k1\" to the overlayfs snapshotter, whose own store has no such snapshot", "containers and layers on this snapshot cannot be mounted" },
            { "containerd snapshot folder missing", P(new Fact.ContainerdSnapshotDirMissing("k1", "overlayfs")),
                "the overlayfs snapshotter's folder of snapshot k1 is missing", "its content is gone: containers and layers on it cannot be mounted" },
            { "containerd snapshot parent missing", P(new Fact.ContainerdSnapshotParentMissing("k3", "c1")),
                "snapshot k3 names parent c1, which has no record", "the snapshot cannot be mounted: its lower layers are gone" },
            { "containerd orphan snapshot folder", P(new Fact.ContainerdOrphanSnapshotDir("overlayfs")),
                "no snapshot record of the overlayfs snapshotter names this folder", "disk space held until the snapshotter next removes a snapshot (an image or a container removed): its clean-up then deletes every folder no record names" },
            { "containerd migration fails", P(new Fact.MigrationStops(ProblemKind.TarSplitMissing, 3)),
                "features.containerd-migration copies 3 image(s) into the containerd store, and this layer's tar stream cannot be read (tar_split_missing)",
                "the copy stops there, and dockerd starts on the containerd store: the graph driver's images are visible in neither store" },
            { "containerd migration hides images", P(new Fact.MigrationHidesImages(3, 2, "overlay2")),
                "features.containerd-migration switches to the containerd store, which holds 2 image(s) already, so the 3 image(s) of overlay2 are not copied",
                "dockerd starts on the containerd store: the graph driver's images are visible in neither store (turn the feature off, or remove the containerd store's images first)" },
            { "containerd blob hashes wrong", P(new Fact.ContainerdBlobCorrupt("sha256:ab", Some("sha256:cd"), 12, Some(12L))),
                "blob sha256:ab hashes to sha256:cd (12 bytes)", "the bytes are not what the digest promises: the images that need this blob fail to unpack, run, push or save; pull them again" },
            { "containerd blob size wrong", P(new Fact.ContainerdBlobCorrupt("sha256:ab", None, 12, Some(13L))),
                "blob sha256:ab holds 12 bytes; its record says 13", "the bytes are not what the digest promises: the images that need this blob fail to unpack, run, push or save; pull them again" },
            { "containerd blob unreadable", P(new Fact.ContainerdBlobCorrupt("sha256:ab", None, -1, None) { Unreadable = Some("denied") }),
                "blob sha256:ab cannot be read: denied", "the bytes are not what the digest promises: the images that need this blob fail to unpack, run, push or save; pull them again" },
            { "containerd container layer missing", P(new Fact.ContainerdContainerLayerMissing("/web", new string('a', 64), "overlayfs", SnapshotMissing: true, LeaseMissing: true, Kept: false)),
                "container /web has no overlayfs snapshot and no lease of its ID in the containerd store", "moby drops the container at start-up ('failed to load container mount')" },
            { "containerd container lease missing, kept", P(new Fact.ContainerdContainerLayerMissing("", new string('a', 64), "overlayfs", SnapshotMissing: false, LeaseMissing: true, Kept: true)),
                "container aaaaaaaaaaaa has no lease of its ID in the containerd store", "moby keeps it without a read-write layer: it can only be removed" },
            { "containerd blob unreferenced", P(new Fact.ContainerdBlobUnreferenced("sha256:ab")),
                "blob sha256:ab is held by no image, lease or gc.root label", "containerd's garbage collection deletes it at its next run" },
            { "containerd snapshot unreferenced", P(new Fact.ContainerdSnapshotUnreferenced("k1", "overlayfs")),
                "overlayfs snapshot k1 is held by no image, container, lease, gc.root label or snapshot above it",
                "containerd's garbage collection deletes it, and its folder, at its next run" },
            { "link folder missing", P(new Fact.LinkFolderInvalid(Missing: true, "overlay2"), "overlay2/l"), "overlay2/l, the folder of short links, is missing",
                "every short link is gone with it: overlay2 makes the folder again, empty, at start-up, and mounts that go through the layers fail until the links are recreated" },
            { "link folder not a folder", P(new Fact.LinkFolderInvalid(Missing: false, "overlay2"), "overlay2/l"), "overlay2/l is not a folder",
                "overlay2's start-up fails (mkdir overlay2/l: not a directory), so the daemon refuses to start" },
            { "link file missing", P(new Fact.LinkFileUnusable(Missing: true)), "the link file is missing",
                "layers on top of this one cannot name it in their lower list; mounting them fails" },
            { "link file empty", P(new Fact.LinkFileUnusable(Missing: false)), "the link file is empty",
                "layers on top of this one cannot name it in their lower list; mounting them fails" },
            { "link names unknown", P(new Fact.LinkNamesUnknown("ABC", "overlay2"), cache: "f1"), "overlay2/f1/link names short link \"ABC\", which is missing",
                "mounts that go through this layer fail until the short link is recreated" },
            { "lower entry invalid", P(new Fact.LowerEntriesInvalid(Seq1("l/X"))), "lower names \"l/X\", which does not lead to a layer",
                "mounting this layer (a container on it, or a build step) fails" },
            { "lower entries invalid", P(new Fact.LowerEntriesInvalid(Seq("l/X", "y"))), "lower names \"l/X\", \"y\", which do not lead to a layer",
                "mounting this layer (a container on it, or a build step) fails" },
            { "short link dangling", P(new Fact.ShortLinkDangling("ABC", "../gone/diff")), "l/ABC points to \"../gone/diff\", which does not exist",
                "harmless in itself, but a sign of a removal that did not finish" },

            { "image config invalid", P(new Fact.ImageConfigInvalid("0123456789abcdef", "the image config cannot be read")), "the image config cannot be read",
                "moby skips image 0123456789ab at start-up (error log 'invalid image')" },
            { "image top layer missing", P(new Fact.ImageTopLayerMissing("0123456789abcdef", Some(A), StopsDaemon: false)),
                $"top layer {A} of image 0123456789ab is not among the loaded layers",
                "moby skips image 0123456789ab ('not restoring image'); containers of it lose their image" },
            { "image top layer missing, old release", P(new Fact.ImageTopLayerMissing("0123456789abcdef", Some(A), StopsDaemon: true)),
                $"top layer {A} of image 0123456789ab is not among the loaded layers", "moby before 18.03 stops at start-up: 'layer does not exist'" },

            { "mount without container", P(new Fact.MountWithoutContainer()),
                "no container folder names this mount (a builder or BuildKit mount, or a removed container's)",
                "moby loads it but nothing ever releases it: its read-write and init folders are never freed" },
            { "container config fault", P(new Fact.ContainerConfigFault("config.v2.json is missing")), "config.v2.json is missing",
                "moby skips the container at start-up ('failed to load container')" },
            { "container ID mismatch", P(new Fact.ContainerIdMismatch("x", "y")), "config.v2.json has ID \"x\": moby's 'Container x is stored at y'",
                "moby skips the container at start-up ('failed to load container')" },
            { "container OS", P(new Fact.ContainerOsUnsupported("windows")), "config.v2.json has OS \"windows\": the operating system is not supported",
                "moby skips the container at start-up ('failed to load container')" },
            { "container without mount", P(new Fact.ContainerWithoutMount("/web", "0123456789abcdef", Db, Kept: false)),
                $"container /web has no mount folder in {Db}/mounts", "moby drops the container at start-up ('failed to load container mount')" },
            { "unnamed container without mount, kept", P(new Fact.ContainerWithoutMount("", "0123456789abcdef", Db, Kept: true)),
                $"container 0123456789ab has no mount folder in {Db}/mounts", "moby keeps it without a read-write layer: it can only be removed" },
            { "name conflict", P(new Fact.ContainerNameConflict(2, "/c0")), "2 containers are named \"/c0\"",
                "moby restores whichever registers the name first and drops the others ('failed to register container name')" },
            { "null host config", P(new Fact.ContainerCrashesDaemon(DaemonPanic.NullHostConfig, false)),
                "hostconfig.json holds null: moby's InitDNSHostConfig dereferences the nil host config (container/container.go)",
                "the daemon panics while loading containers and does not start until this folder is fixed or moved away" },
            { "null state", P(new Fact.ContainerCrashesDaemon(DaemonPanic.NullStateAtRestore, false)),
                "config.v2.json has \"State\": null: moby's restore calls IsRunning on the nil state (daemon/daemon.go)",
                "the daemon panics while restoring containers and does not start until this folder is fixed or moved away" },
            { "no Config object", P(new Fact.ContainerCrashesDaemon(DaemonPanic.NoConfigObject, true)),
                "config.v2.json has no \"Config\" object: moby's Daemon.Register dereferences the nil Config (daemon/container.go)",
                "if it registers its name first, the daemon panics while restoring containers and does not start until this folder is fixed or moved away" },
            { "no State object", P(new Fact.ContainerCrashesDaemon(DaemonPanic.NoStateObject, false)),
                "config.v2.json has no \"State\" object: moby's Daemon.Register dereferences the nil State (daemon/container.go)",
                "the daemon panics while restoring containers and does not start until this folder is fixed or moved away" },
            { "nil NetworkSettings", P(new Fact.ContainerCrashesDaemon(DaemonPanic.NilNetworkSettings, false)),
                "config.v2.json has no \"NetworkSettings\" object and hostconfig.json's NetworkMode is \"default\": the restore migrates the default network through the nil NetworkSettings (daemon/daemon.go)",
                "the daemon panics while restoring containers and does not start until this folder is fixed or moved away" },

            { "content differs", P(new Fact.ContentDiffers(A, new ContentDifference(DifferenceKind.FileContent, Some("etc/x"), "etc/x differs"),
                    new LayerUsers(Seq("a", "b", "c", "d", "e", "f"), Seq1("/web")))),
                $"layer {A.Short}: etc/x differs",
                "docker save and push of images using it fail (tar-split: \"file integrity checksum failed\"); containers on it see the changed file; used by 6 images (a, b, c, d, e, …) and 1 container (/web)" },
            { "file added", P(new Fact.ContentDiffers(A, new ContentDifference(DifferenceKind.FileAdded, Some("new"), "new is not in the tar-split"), new LayerUsers(default, default))),
                $"layer {A.Short}: new is not in the tar-split",
                "containers on it see a file the image does not have; save and push do not notice (the file is not in the tar stream); no restored image or loaded container uses it" },
            { "recorded size", P(new Fact.ContentDiffers(A, new ContentDifference(DifferenceKind.RecordedSize, None, "size says 3"), new LayerUsers(Seq1("a"), default))),
                $"layer {A.Short}: size says 3",
                "moby reports a wrong size for this layer (docker image ls, docker system df); save and push still work; used by 1 image (a)" },
            { "stream differs", P(new Fact.ContentDiffers(A, new ContentDifference(DifferenceKind.Stream, None, "headers differ"), new LayerUsers(default, default))),
                $"layer {A.Short}: headers differ",
                "docker save and push of images using it fail (moby: \"could not verify layer data … internal files in the layer store were modified\"); no restored image or loaded container uses it" },
            { "file missing from the folder", P(new Fact.ContentDiffers(A, new ContentDifference(DifferenceKind.FileMissing, Some("x"), "x is missing"), new LayerUsers(default, default))),
                $"layer {A.Short}: x is missing",
                "docker save and push of images using it fail (moby: \"could not verify layer data … internal files in the layer store were modified\"); containers on it see the changed files; no restored image or loaded container uses it" },

            { "removed driver state", P(new Fact.RemovedDriverState("aufs", V29), "aufs"), "aufs/ holds data of the aufs driver, which moby 29.0 no longer has",
                "moby 29.0 ignores it: its images and containers are not there after an upgrade; load it with an older --moby-version" },
            { "host lacks driver", P(new Fact.HostLacksDriver("zfs", V29, "driver not supported"), "zfs"),
                "the host cannot run the zfs driver (said with --host-lacks zfs): moby 29.0's driver not supported",
                "the daemon refuses to start; start it where the driver works, or move the data to another driver" },
            { "driver not registered", P(new Fact.DriverNotRegistered("moby 29.0 has no x storage driver")), "moby 29.0 has no x storage driver",
                "the daemon refuses to start; choose another --driver or an older --moby-version" },
            { "other driver state", P(new Fact.OtherDriverState("vfs", "overlay2")), "vfs/ holds data of the vfs driver while overlay2 is chosen explicitly",
                "its layers and containers are not loaded with overlay2" },
            { "deprecated driver state", P(new Fact.DeprecatedDriverState("overlay", V29)), "overlay/ holds prior state of the deprecated overlay driver",
                "moby 29.0 refuses to start unless the storage driver is set to overlay" },
            { "ambiguous prior drivers", P(new Fact.AmbiguousPriorDrivers("btrfs", Seq<DriverName>("btrfs", "zfs"))), "prior state of btrfs (2 drivers have prior state: btrfs, zfs)",
                "the daemon refuses to start; choose a driver explicitly or move this folder away" },
            { "layerdb absent", P(new Fact.LayerDbAbsent(), Db), $"{Db} does not exist", "moby would create it and start with no layers; this tool creates nothing" },
            { "layerdb not used, containerd store", P(new Fact.LayerDbNotUsed(3, 1, V29, ContainerdStore: true, None), "image/vfs/layerdb"),
                "image/vfs/layerdb holds 3 layer folder(s) and 1 mount folder(s)",
                "moby 29.0 uses the containerd image store and ignores them: these images and containers are not there (name the driver to keep them)" },
            { "layerdb not used, priority", P(new Fact.LayerDbNotUsed(3, 1, V29, ContainerdStore: false, Some<DriverName>("overlay2")), "image/vfs/layerdb"),
                "image/vfs/layerdb holds 3 layer folder(s) and 1 mount folder(s)",
                "moby 29.0 picks overlay2 by priority and ignores them (name the driver to keep them)" },
            { "layerdb not used, home missing", P(new Fact.LayerDbNotUsed(3, 1, V29, ContainerdStore: true, None, "overlay2", LayerDbIgnored.DriverHomeMissing), Db),
                $"{Db} holds 3 layer folder(s) and 1 mount folder(s)",
                "moby 29.0 uses the containerd image store and ignores them: these images and containers are not there (their data folder overlay2/ is gone: naming the driver would not bring them back)" },
            { "layerdb not used, driver removed", P(new Fact.LayerDbNotUsed(2, 0, V29, ContainerdStore: false, Some<DriverName>("overlay2"), "aufs", LayerDbIgnored.DriverRemoved), "image/aufs/layerdb"),
                "image/aufs/layerdb holds 2 layer folder(s) and 0 mount folder(s)",
                "moby 29.0 picks overlay2 by priority and ignores them (moby 29.0 has no aufs driver: load them with an older --moby-version)" },
            { "driver home missing, layerdb not loaded", P(new Fact.DriverHomeMissing(Empty: false, Db, 3, 1, Loaded: false), "overlay2"),
                $"overlay2/ is missing but {Db} names layers and mounts",
                $"the content of the 3 layer folders and 1 mount folder of {Db} is not there: naming the driver would load layers without their data; restore overlay2/ from a backup, or remove {Db} and pull the images again" },
        };
        return rows;
    }

    private static readonly Dictionary<string, (Problem Problem, string Message, string Consequence)> Table =
        Rows().ToDictionary(row => (string)row[0], row => ((Problem)row[1], (string)row[2], (string)row[3]), StringComparer.Ordinal);

    /// <summary>The rows' names only: a string serializes, so xUnit makes one test case per row at discovery. With the
    /// problems themselves as data the theory was one test case with many results, and Stryker's per-test coverage
    /// of Explain came out different from run to run (stryker-net issue 2144).</summary>
    public static TheoryData<string> RowNames() => new(Table.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_fact_has_its_wording(string name)
    {
        var (problem, message, consequence) = Table[name];
        Assert.Equal((name, message, consequence), (name, Explain.Message(problem), Explain.Consequence(problem)));
    }

    [Fact]
    public void Every_fact_has_a_row()
    {
        var covered = Table.Values.Select(row => row.Problem.Fact.GetType()).ToHashSet();
        var all = typeof(Fact).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(Fact))).ToList();
        Assert.Equal(63, all.Count);
        Assert.Empty(all.Where(t => !covered.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void A_loop_of_thousands_shows_eight_names()
    {
        var loop = toSeq(Enumerable.Range(0, 1000).Select(i => Chain("loop" + i))).Strict();
        var message = Explain.Message(P(new Fact.ParentCycle(loop[500], loop)));
        Assert.Equal(9, message["parent links loop: ".Length..].Split(" -> ").Length);
        Assert.EndsWith($"… (1000 layers in the loop) … {loop[500].Short}", message, StringComparison.Ordinal);
        Assert.StartsWith($"parent links loop: {loop[500].Short} -> {loop[501].Short} -> ", message, StringComparison.Ordinal);
    }
}
