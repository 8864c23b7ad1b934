using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using static LanguageExt.Prelude;

namespace LayerFunctional.Edge;

/// <summary>How far a long read has come.</summary>
/// <param name="Phase">What is being read, e.g. <c>layer folders</c>.</param>
/// <param name="Done">How many so far.</param>
/// <param name="Total">How many in all.</param>
public sealed record ReadProgress(string Phase, int Done, int Total);

/// <summary>
/// Reads a docker root read-only, through an <see cref="IRootFileSystem"/> (the disk through
/// <see cref="PhysicalFileProvider"/>, or a generated root in memory), into the plain values the
/// core decides on: the state of each graph-driver home and a <see cref="LayerDbRead"/>. It never
/// creates, writes or locks anything under the root (moby's <c>MkdirAll</c> of the layerdb is not
/// imitated), decides each entry's type before opening it (a FIFO, socket or device is never opened),
/// reads no file and no link text through a symbolic link out of the root (the names in a folder reached so, such as a
/// graph-driver home on another disk, are listed, as moby lists them), and turns read failures into values, not exceptions.
/// </summary>
public sealed class DockerRootReader : IDisposable
{
    /// <summary>Metadata files are read in one go up to this size (bytes); a larger one is read again, whole, up to
    /// <see cref="MetadataLimits.ReadLimit"/> (moby reads it whole).</summary>
    public const int MetadataCap = MetadataLimits.Usual;

    private static readonly string[] LayerFileNames = [.. LayerDbSnapshot.LayerFiles];
    private static readonly string[] MountFileNames = [.. LayerDbSnapshot.MountFiles];
    private static readonly string[] OverlayFileNames = ["link", "lower"];
    private static readonly Dictionary<string, string> KnownNames =
        LayerFileNames.Concat(MountFileNames).Concat(OverlayFileNames).Concat(["tar-split.json.gz", "diff", "work", "merged", "committed"])
            .Distinct().ToDictionary(n => n, n => n, StringComparer.Ordinal);

    private readonly IRootFileSystem fs;
    private readonly string fullRoot;
    private readonly Lazy<string> rootTarget;

    /// <summary>Opens a docker root on disk for reading.</summary>
    /// <param name="root">The docker root, absolute or relative to the working directory.</param>
    public static DockerRootReader OnDisk(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return new DockerRootReader(full, new PhysicalRootFileSystem(full));
    }

    /// <summary>Opens a docker root for reading through <paramref name="fileSystem"/> (which this reader then owns).</summary>
    /// <param name="fullRoot">The docker root's absolute path in that file system, without a trailing separator.</param>
    /// <param name="fileSystem">The file system.</param>
    public DockerRootReader(string fullRoot, IRootFileSystem fileSystem)
    {
        this.fullRoot = fullRoot;
        fs = fileSystem;
        rootTarget = new Lazy<string>(() => ResolveFinal(fullRoot).IfNone(fullRoot));
    }

    /// <summary>Receives progress on long reads (every 1,000 folders or files, from any of the reading threads); null for none.</summary>
    public IProgress<ReadProgress>? Progress { get; init; }

    /// <summary>The absolute root path.</summary>
    public string FullRoot => fullRoot;

    /// <summary>The file system read (for <see cref="ContentReader"/>).</summary>
    internal IRootFileSystem FileSystem => fs;

    /// <summary>Whether a path, every link resolved, lies inside the root (for <see cref="ContentReader"/>).</summary>
    internal bool LeadsInsideRoot(string full) => IsInsideRoot(full);

    /// <summary>What is at <c>&lt;root&gt;/&lt;name&gt;</c> for every Linux driver name (moby's prior-state scan
    /// inputs: <c>os.Stat</c> follows links, so a dangling link is absent; <c>isEmptyDir</c> reads one entry
    /// and counts an open error as "not empty").</summary>
    public Map<DriverName, DriverHomeState> ReadDriverHomes() =>
        toMap(DriverSelection.AllDriverNames.Map(name => (name, HomeState(name))));

    private DriverHomeState HomeState(DriverName name)
    {
        var full = Path.Combine(fullRoot, name.Value);
        switch (fs.OfTarget(full))
        {
            // moby counts a name only when os.Stat succeeds: a missing path, a dangling link or a link loop is no state.
            case FileType.Missing or FileType.Unreadable: return DriverHomeState.Absent;
            case FileType.Directory: break;
            default: return DriverHomeState.NotADirectory;
        }
        try
        {
            return fs.List(full).Any() ? DriverHomeState.NonEmptyDirectory : DriverHomeState.EmptyDirectory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DriverHomeState.Unreadable;
        }
    }

    /// <summary>Drivers that have an <c>image/&lt;driver&gt;/layerdb</c> folder, sorted ordinal.</summary>
    public Seq<DriverName> LayerDbDrivers()
    {
        try
        {
            var image = Path.Combine(fullRoot, "image");
            if (fs.OfTarget(image) != FileType.Directory) return Empty;
            return fs.List(image).Where(n => fs.OfTarget(Path.Combine(image, n)) == FileType.Directory)
                .Where(n => HasEntries(Path.Combine(fullRoot, "image", n, "layerdb", "sha256")) || HasEntries(Path.Combine(fullRoot, "image", n, "layerdb", "mounts")))
                .OrderBy(n => n, StringComparer.Ordinal).Select(n => new DriverName(n)).ToSeq().Strict();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Empty;
        }
    }

    /// <summary>How many entries <c>sha256/</c> and <c>mounts/</c> of a driver's layerdb hold (a listing only).</summary>
    /// <param name="driver">The driver name.</param>
    public (int Layers, int Mounts) CountLayerDb(DriverName driver)
    {
        int Count(string sub)
        {
            var full = Path.Combine(fullRoot, "image", driver.Value, "layerdb", sub);
            try
            {
                return fs.OfTarget(full) == FileType.Directory ? fs.List(full).Count() : 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return 0;
            }
        }
        return (Count("sha256"), Count("mounts"));
    }

    private bool HasEntries(string full)
    {
        try
        {
            return fs.OfTarget(full) == FileType.Directory && fs.List(full).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads <c>image/&lt;driver&gt;/layerdb</c>: the listings of <c>sha256/</c> and <c>mounts/</c>, every listed layer
    /// and mount folder, then every folder that parent links reach, until none is missing. Each layer folder is parsed as
    /// soon as it is read (<see cref="LayerFolderRead.Of(ChainID, string, RawDirectory, MobyVersion, SharedIds)"/>) and its bytes are dropped.
    /// </summary>
    /// <param name="driver">The graph driver's name.</param>
    /// <param name="version">Rule set (which names are listed, digest case, parsing).</param>
    /// <returns>The layerdb; absent when it does not exist.</returns>
    public LayerDbRead ReadLayerDb(DriverName driver, MobyVersion version)
    {
        var (path, exists, (others, listed), mounts, layers, mountFolders) =
            ReadLayerDb(driver, version,
                (id, folder, dir, ids, tarSplitIsRegular) => LayerFolderRead.Of(id, folder, dir, version, ids, tarSplitIsRegular),
                l => l.ParentLink,
                (name, folder, dir, ids) => MountFolderRead.Of(name, folder, dir, version, ids), m => m.ParentLink, keepListing: false);
        return new LayerDbRead(path, exists, others, listed, mounts, layers, NameMap<MountFolderRead>.Of(mountFolders), version);
    }

    /// <summary>
    /// Reads the layerdb as <see cref="ReadLayerDb(DriverName, MobyVersion)"/> does, but keeps every layer folder's bytes
    /// (<see cref="LayerDbSnapshot"/>): for tests that compare the load with a model of moby over the raw files.
    /// </summary>
    /// <param name="driver">The graph driver's name.</param>
    /// <param name="version">Rule set (which names are listed, digest case).</param>
    public LayerDbSnapshot ReadLayerDbSnapshot(DriverName driver, MobyVersion version)
    {
        var (path, exists, (sha256, _), mounts, layers, mountDirs) =
            ReadLayerDb(driver, version, (_, _, dir, _, _) => dir, dir => LayerStoreLoad.ParentFolderOf(dir, version),
                (_, _, dir, _) => dir, dir => LayerStoreLoad.ParentFolderOf(dir, version), keepListing: true);
        return new LayerDbSnapshot(path, exists, sha256, mounts, toHashMap(layers.AsEnumerable()), toHashMap(mountDirs));
    }

    // The sha256/ listing comes back whole (keepListing) or split as read: the entries that are not listed layer folders, and
    // the listed ones as chain IDs, the very instances that key the layers.
    private (string, bool, (DirectoryListing, Seq<ChainID>), DirectoryListing, ChainMap<T>, (string, TMount)[]) ReadLayerDb<T, TMount>(
        DriverName driver, MobyVersion version, Func<ChainID, string, RawDirectory, SharedIds, bool, T> keep, Func<T, Option<ChainID>> parentOf,
        Func<string, string, RawDirectory, SharedIds, TMount> keepMount, Func<TMount, Option<ChainID>> mountParentOf, bool keepListing)
    {
        var layerDb = "image/" + driver.Value + "/layerdb";
        var full = Path.Combine(fullRoot, layerDb);
        var target = fs.OfTarget(full);
        if (target == FileType.Missing && fs.OfLink(full) != FileType.Symlink)
            return (layerDb, false, (new DirectoryListing.Absent(), default), new DirectoryListing.Absent(), default, []);
        if (target != FileType.Directory)
        {
            // moby's MkdirAll of the layerdb fails on a file, a dangling link or an unreadable path:
            // the store does not open and the daemon does not start.
            var why = target switch
            {
                FileType.Missing => "the layerdb is a dangling symbolic link",
                FileType.Unreadable => "the layerdb cannot be read",
                _ => "the layerdb is a " + FileTypes.Describe(target) + ", not a directory",
            };
            return (layerDb, true, (new DirectoryListing.Failed(why), default), new DirectoryListing.Failed(why), default, []);
        }
        if (!IsInsideRoot(full))
        {
            var outside = new DirectoryListing.Failed("the layerdb path leads outside the docker root (links not followed)");
            return (layerDb, true, (outside, default), outside, default, []);
        }
        // A canonical layer folder's name becomes its chain ID as it is listed, without a text of it (unless the whole
        // listing is kept).
        var taken = new List<ChainID>();
        var sha256 = keepListing
            ? List(layerDb + "/sha256")
            : List(layerDb + "/sha256", (name, type) =>
            {
                if (type != FileType.Directory || !Digest.TryCanonicalHex(name, out var digest)) return false;
                taken.Add(ChainID.FromDigest(digest));
                return true;
            });
        var mounts = List(layerDb + "/mounts");
        var (others, listedSeq) = LayerDbRead.SplitListing(sha256, version, taken);
        var listed = listedSeq.ToArray();
        // Parent links share the listed chain IDs, cache IDs the names of the driver's ID folder (listed once, here).
        var ids = new SharedIds(listed, ListOnce(driver, DriverLayout.For(driver).IdFolders.HeadOrNone().IfNone("")) is DirectoryListing.Listed home
            ? home.Entries.Map(e => e.Name)
            : Empty);
        var layerRead = ReadAll(listed, "layer folders", id =>
        {
            var folder = id.Digest.FolderPath(layerDb);
            var dir = ReadFolder(folder, LayerFileNames, out var read);
            return keep(id, folder, dir, ids, read is not null && read.TypeOf(TarSplitName) == FileType.Regular);
        });
        var layers = new Dictionary<ChainID, T>(listed.Length);
        for (var i = 0; i < listed.Length; i++) layers[listed[i]] = layerRead[i];
        var listedMounts = LayerStoreLoad.ListedMounts(mounts).Map(static n => n.Value).ToArray();
        var mountRead = ReadAll(listedMounts, "mount folders", name =>
        {
            var folder = layerDb + "/mounts/" + name;
            return keepMount(name, folder, ReadFolder(folder, MountFileNames), ids);
        });
        var mountFolders = new (string, TMount)[listedMounts.Length];
        for (var i = 0; i < listedMounts.Length; i++) mountFolders[i] = (listedMounts[i], mountRead[i]);
        // Parent links may reach folders the listing skips (symbolic links, sha512/): read them too, following each
        // newly read folder's own parent link (linear in the length of such chains).
        var pending = new Queue<ChainID>(layers.Values.Choose(parentOf)
            .Concat(mountRead.Choose(mountParentOf))
            .Where(p => !layers.ContainsKey(p)).Distinct().OrderBy(p => p, ChainID.Ordinal));
        while (pending.Count > 0)
        {
            var key = pending.Dequeue();
            if (layers.ContainsKey(key)) continue;
            var folder = key.Digest.FolderPath(layerDb);
            var read = keep(key, folder, ReadFolder(folder, LayerFileNames, out var listing, reachedByLink: true), ids,
                listing is not null && listing.TypeOf(TarSplitName) == FileType.Regular);
            layers[key] = read;
            parentOf(read).IfSome(pending.Enqueue);
        }
        return (layerDb, true, (keepListing ? sha256 : others, listedSeq), mounts,
            ChainMap<T>.Of(PairsOf(layers)), mountFolders);
    }

    // A dictionary's entries as one array of the exact size (a 100,000-entry list grown by doubling leaves twice that as garbage).
    private static (ChainID Key, T Value)[] PairsOf<T>(Dictionary<ChainID, T> entries)
    {
        var pairs = new (ChainID Key, T Value)[entries.Count];
        var i = 0;
        foreach (var (key, value) in entries) pairs[i++] = (key, value);
        return pairs;
    }

    private const string TarSplitName = "tar-split.json.gz";

    /// <summary>Reads every item, on all cores when there are many, into an array in the items' order (so that what
    /// is built from it does not depend on which thread finished first), reporting progress every 1,000.</summary>
    private T[] ReadAll<TItem, T>(TItem[] items, string phase, Func<TItem, T> read)
    {
        var results = new T[items.Length];
        var done = 0;
        void One(int i)
        {
            results[i] = read(items[i]);
            var n = Interlocked.Increment(ref done);
            if (n % 1000 == 0) Progress?.Report(new ReadProgress(phase, n, items.Length));
        }
        if (items.Length < 512 || Environment.ProcessorCount == 1)
            for (var i = 0; i < items.Length; i++) One(i);
        else
            Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, One);
        return results;
    }

    /// <summary>Lists a folder as Go's <c>os.ReadDir</c> does: the folder itself may be a link (followed);
    /// "not found" (also a dangling link) is absent; any other error fails the listing.</summary>
    private DirectoryListing List(string relative, EntryTaker? take = null)
    {
        var full = Path.Combine(fullRoot, relative);
        switch (fs.OfTarget(full))
        {
            case FileType.Missing: return new DirectoryListing.Absent();
            case FileType.Directory: break;
            case FileType.Unreadable: return new DirectoryListing.Failed("cannot be read");
            case var other: return new DirectoryListing.Failed("not a directory (" + FileTypes.Describe(other) + ")");
        }
        if (!IsInsideRoot(full))
            return new DirectoryListing.Failed(fs.OfLink(full) == FileType.Symlink
                ? "symbolic link to a folder outside the docker root (not followed)"
                : "a symbolic link on the way leads outside the docker root (not followed)");
        try
        {
            // An entry that is gone by the time it is examined (a daemon at work) is left out; a name that is not
            // valid UTF-8 cannot be examined by name at all and stays, as "something else".
            var entries = (take is null ? fs.ReadFolder(full, [], 0) : fs.ListTaking(full, take)).Entries
                .Where(e => e.Type != FileType.Missing || e.Name.Contains('\uFFFD', StringComparison.Ordinal))
                .Select(e => new DirectoryEntry(e.Name, EntryTypeOf(e.Type)))
                .ToSeq().Strict();
            return new DirectoryListing.Listed(entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DirectoryListing.Failed(e.Message);
        }
    }

    private static EntryType EntryTypeOf(FileType type) => type switch
    {
        FileType.Directory => EntryType.Directory,
        FileType.Regular => EntryType.File,
        FileType.Symlink => EntryType.Symlink,
        _ => EntryType.Other,
    };

    private RawDirectory ReadFolder(string relative, IReadOnlyCollection<string> wanted, bool reachedByLink = false) =>
        ReadFolder(relative, wanted, out _, reachedByLink);

    /// <summary>As <see cref="ReadFolder(string, IReadOnlyCollection{string}, bool)"/>, also giving the listing with each entry's type
    /// (null when the folder was not listed).</summary>
    private RawDirectory ReadFolder(string relative, IReadOnlyCollection<string> wanted, out FolderRead? listing, bool reachedByLink = false) =>
        ReadFolderAt(Path.Combine(fullRoot, relative), wanted, out listing, reachedByLink);

    // The same, given the folder's full path (built in one step by the caller).
    private RawDirectory ReadFolderAt(string full, IReadOnlyCollection<string> wanted, out FolderRead? listing, bool reachedByLink = false)
    {
        listing = null;
        // Listed folders are real directories inside the root; folders reached through parent
        // links may be missing, files, or symbolic links that point anywhere.
        if (reachedByLink)
        {
            switch (fs.OfTarget(full))
            {
                case FileType.Missing: return new RawDirectory.Missing();
                case FileType.Directory: break;
                case FileType.Unreadable: return new RawDirectory.Unreadable("cannot be read");
                case var other: return new RawDirectory.Unreadable("not a directory (" + FileTypes.Describe(other) + ")");
            }
            if (!IsInsideRoot(full)) return new RawDirectory.OutsideRoot(ResolveFinal(full).IfNone(() => LinkText(full)));
        }
        try
        {
            // One listing gives every name and its type; the wanted regular files come with it.
            var read = fs.ReadFolder(full, wanted, MetadataCap);
            listing = read;
            var names = new string[read.Entries.Count];
            var files = new List<(string, RawFile)>(wanted.Count);
            for (var i = 0; i < names.Length; i++)
            {
                var (name, type) = read.Entries[i];
                // The usual names are shared, not held once per folder (100,000 folders hold the same six names).
                names[i] = name = KnownNames.GetValueOrDefault(name, name);
                if (!wanted.Contains(name)) continue;
                // Links and odd types take the path-based road (links are resolved and must stay inside the root).
                var file = type == FileType.Regular && read.FileNamed(name) is { } f ? Some(f) : ReadMetadataFile(Path.Combine(full, name));
                // Over the usual size: read whole up to the read limit, so that the core judges the content as moby does.
                if (file.Exists(x => x is RawFile.TooLarge)) file = ReadMetadataFile(Path.Combine(full, name), MetadataLimits.ReadLimit);
                // A dangling link reads as "not found" in Go: the file counts as absent.
                if (file.TrySome(out var present)) files.Add((name, present));
            }
            // The names array is new and never changed after: the sequence wraps it instead of copying it.
            return new RawDirectory.Present(LanguageExt.UnsafeValueAccess.UnsafeValueAccessExtensions.ToSeqUnsafe(names), FolderFileMap.Of(files));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RawDirectory.Unreadable(e.Message);
        }
    }

    /// <summary>containerd's bbolt stores are read whole; beyond this they are not read (a store of 100,000 images is a few
    /// hundred MiB).</summary>
    public const int BoltCap = 1 << 30;

    /// <summary>What the shell reads of the containerd store under <paramref name="relative"/> (<c>containerd/daemon</c> for the
    /// one dockerd starts itself): its metadata store, the snapshotter's store and snapshot folders, and the blob files.</summary>
    /// <param name="relative">The containerd root relative to this reader's root.</param>
    /// <param name="snapshotter">The snapshotter dockerd uses.</param>
    public LayerFunctional.Containerd.ContainerdStoreSnapshot ReadContainerdStore(string relative, string snapshotter)
    {
        Option<RawFile> Whole(string path)
        {
            var full = Path.Combine(fullRoot, path);
            if (fs.OfTarget(full) == FileType.Missing) return None;
            // A link anywhere on the way (the store's own folder, its plugin folder) may lead out of the root: not followed.
            return ReadConfined(full, BoltCap);
        }
        var store = new LayerFunctional.Containerd.ContainerdStoreSnapshot(relative, snapshotter, None, None, new DirectoryListing.Absent(), new DirectoryListing.Absent());
        return store with
        {
            MetaDb = Whole(store.MetaDbPath),
            SnapshotterDb = Whole(store.SnapshotterPath + "/metadata.db"),
            SnapshotFolders = List(store.SnapshotterPath + "/snapshots"),
            Blobs = List(store.BlobsPath),
            ReadAt = DateTimeOffset.UtcNow,
            OutsideRoot = Seq(store.SnapshotterPath + "/snapshots", store.BlobsPath)
                .Choose(path => OutsideTarget(Path.Combine(fullRoot, path)).Map(target => (path, target))).Strict(),
        };
    }

    /// <summary>The SHA-256 of each blob file of a containerd content store (<c>check --content</c>), streamed; a file that is
    /// not a regular file under the root, or cannot be read, gives why. A file whose length is not the size its record gives is
    /// not read (a sparse file of 100 GB under a record of 855 bytes is not hashed): its hash is None.</summary>
    /// <param name="blobsPath">The store's <c>blobs/sha256</c> folder relative to this reader's root.</param>
    /// <param name="blobs">The blob names (hex digests) to hash, each with the size its record gives (None: no size).</param>
    /// <returns>Per name: the hash in lower-case hex (None when the length already differs from the record's) and the file's
    /// length in bytes, or why it could not be read.</returns>
    public Seq<(string Hex, Either<string, (Option<string> Sha256, long Bytes)> Read)> HashBlobs(string blobsPath, Seq<(string Hex, Option<long> Size)> blobs)
    {
        // A folder that a link anywhere on the way leads out of the root is not read (its files would be outside the root).
        var folder = Path.Combine(fullRoot, blobsPath);
        var outside = OutsideTarget(folder).IsSome;
        return blobs.Map(blob =>
        {
            var hex = blob.Hex;
            var full = Path.Combine(folder, hex);
            if (outside) return (hex, Left<string, (Option<string>, long)>("the blob folder leads outside the docker root (not followed)"));
            if (fs.OfLink(full) != FileType.Regular) return (hex, Left<string, (Option<string>, long)>("not a regular file"));
            try
            {
                using var stream = fs.OpenRead(full);
                if (blob.Size.TrySome(out var size) && stream.Length != size)
                    return (hex, Right<string, (Option<string>, long)>((None, stream.Length)));
                using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
                long bytes = 0;
                try
                {
                    for (int n; (n = stream.Read(buffer, 0, buffer.Length)) > 0; bytes += n) sha.AppendData(buffer, 0, n);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
                return (hex, Right<string, (Option<string>, long)>((Some(Convert.ToHexStringLower(sha.GetHashAndReset())), bytes)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (hex, Left<string, (Option<string>, long)>(e.Message));
            }
        }).Strict();
    }

    /// <summary>Image and container configs are larger than layer metadata; beyond this they are not read.</summary>
    public const int ConfigCap = 8 * 1024 * 1024;

    /// <summary>As <see cref="ReadMetadataFile"/>, for a file whose folders were not listed by this reader: a symbolic link
    /// anywhere on the way that leads out of the root makes it <see cref="RawFile.OutsideRoot"/>, not read.</summary>
    private Option<RawFile> ReadConfined(string full, int cap) =>
        OutsideTarget(full).TrySome(out var real) ? new RawFile.OutsideRoot(real) : ReadMetadataFile(full, cap);

    /// <summary>Reads one metadata file, deciding its type first; None when it is a dangling link (Go's "not found").</summary>
    private Option<RawFile> ReadMetadataFile(string full, int cap = MetadataCap)
    {
        var type = fs.OfLink(full);
        if (type == FileType.Symlink)
        {
            type = fs.OfTarget(full);
            if (type == FileType.Missing) return None;
            if (!ResolveFinal(full).TrySome(out var target)) return new RawFile.Unreadable("symbolic link loop or unreadable target");
            if (!IsInside(target)) return new RawFile.OutsideRoot(target);
        }
        return type switch
        {
            FileType.Regular => Some(FileReads.ReadCapped(() => fs.OpenRead(full), cap)),
            FileType.Unreadable => new RawFile.Unreadable("cannot be examined"),
            FileType.Missing => new RawFile.Unreadable("vanished while reading"),
            _ => Some<RawFile>(new RawFile.NotRegular(FileTypes.Describe(type))),
        };
    }

    /// <summary>Where a path really leads (every link in every component resolved); None on a
    /// loop, a dangling link or an error.</summary>
    private Option<string> ResolveFinal(string full) => fs.RealPath(full);

    /// <summary>The text of a symbolic link under the root (read, not followed); None when the path is not a link, cannot be
    /// read, or its folder is reached through a link out of the root.</summary>
    /// <param name="relative">A path relative to the root.</param>
    public Option<string> ReadLink(string relative)
    {
        var full = Path.Combine(fullRoot, relative);
        return Path.GetDirectoryName(full) is { } folder && OutsideTarget(folder).IsSome ? None : fs.LinkTarget(full);
    }

    /// <summary>Where a link points, for messages (one level, not resolved further).</summary>
    private string LinkText(string full) => fs.LinkTarget(full).IfNone(full);

    private bool IsInsideRoot(string full) => ResolveFinal(full).Exists(IsInside);

    /// <summary>Where a path that exists really leads, when a symbolic link anywhere on the way (the last part too) takes it
    /// out of the root; None when it stays inside or cannot be resolved (missing: the read that follows says so).</summary>
    private Option<string> OutsideTarget(string full) => ResolveFinal(full).Filter(real => !IsInside(real));

    private bool IsInside(string resolved)
    {
        var rootResolved = rootTarget.Value;
        return resolved == fullRoot || resolved == rootResolved
               || resolved.StartsWith(fullRoot + "/", StringComparison.Ordinal)
               || resolved.StartsWith(rootResolved + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// Reads what the checks beyond the load need: <c>layerdb/tmp</c>, leftover folders, the
    /// <c>tar-split.json.gz</c> of the given layers (streamed to the end, never held whole), the driver
    /// home, image configs and container configs.
    /// </summary>
    /// <param name="driver">The chosen driver.</param>
    /// <param name="layerDb">The layerdb already read.</param>
    /// <param name="tarSplitFolders">Layers (by the chain ID naming their folder) whose tar-split to verify (empty: none).</param>
    public RootSnapshot ReadRoot(DriverName driver, LayerDbRead layerDb, Seq<ChainID> tarSplitFolders)
    {
        var db = layerDb.RelativePath;
        var tmp = List(db + "/tmp");
        var leftovers = new List<(string, RawDirectory)>();
        if (layerDb.Sha256 is DirectoryListing.Listed sha)
            foreach (var e in sha.Entries.Filter(e => e.Type == EntryType.Directory && e.Name.EndsWith("-removing", StringComparison.Ordinal)))
                leftovers.Add(("sha256/" + e.Name, ReadFolder(db + "/sha256/" + e.Name, ["cache-id"])));
        if (tmp is DirectoryListing.Listed t)
            foreach (var e in t.Entries.Filter(e => e.Type == EntryType.Directory && e.Name.StartsWith("write-set-", StringComparison.Ordinal)))
                leftovers.Add(("tmp/" + e.Name, ReadFolder(db + "/tmp/" + e.Name, ["cache-id"])));

        var tarSplitKeys = tarSplitFolders.ToArray();
        var layerDbPath = Path.Join(fullRoot, db);
        var tarSplitTail = "/" + TarSplitName;
        var tarSplitStates = ReadAll(tarSplitKeys, "tar-split files",
            key => TarSplitReader.Read(fs, key.Digest.FolderPath(layerDbPath, tarSplitTail), IsInside, knownRegular: layerDb.Layers.Find(key).Exists(l => l.TarSplitIsRegular)));
        var tarSplits = tarSplitKeys.Zip(tarSplitStates);

        // A container folder's name shares the string of its mount folder's (the same container ID), listed already.
        var configs = ReadImageAndContainerConfigs(driver, withImages: true,
            new SharedIds([], layerDb.MountFolders.Select(static m => m.Key)));
        return new RootSnapshot(tmp, toHashMap(leftovers), ChainMap<TarSplitState>.Of(tarSplits.ToList()), !tarSplitFolders.IsEmpty,
            ReadDriverHome(driver), configs.ImageConfigs, configs.Containers,
            BuildKitPresent: fs.OfTarget(Path.Combine(fullRoot, "buildkit")) == FileType.Directory)
        {
            Repositories = configs.Repositories,
        };
    }

    /// <summary>Reads image configs and container folders only, as <see cref="ReadRoot"/> reads them (the lookups need
    /// no more); everything else in the snapshot is as <see cref="RootSnapshot.Empty"/> has it (no driver home, leftovers
    /// or tar-split states).</summary>
    /// <param name="driver">The chosen driver (its <c>image/&lt;driver&gt;/imagedb</c>).</param>
    /// <param name="withImages">False to leave image configs unread (None) as well.</param>
    /// <returns>A partial snapshot: only <see cref="RootSnapshot.ImageConfigs"/> and <see cref="RootSnapshot.Repositories"/>
    /// (when asked for) and <see cref="RootSnapshot.Containers"/> are read; each is None when it is absent.</returns>
    public RootSnapshot ReadImageAndContainerConfigs(DriverName driver, bool withImages) =>
        ReadImageAndContainerConfigs(driver, withImages, SharedIds.None);

    private RootSnapshot ReadImageAndContainerConfigs(DriverName driver, bool withImages, SharedIds names) =>
        RootSnapshot.Empty(driver) with
        {
            Repositories = withImages && fs.OfLink(Path.Combine(fullRoot, "image", driver.Value, "repositories.json")) != FileType.Missing
                ? ReadConfined(Path.Combine(fullRoot, "image", driver.Value, "repositories.json"), ConfigCap)
                : None,
            ImageConfigs = withImages && fs.OfTarget(Path.Combine(fullRoot, "image", driver.Value, "imagedb", "content", "sha256")) == FileType.Directory
                ? Some(ReadConfigs("image/" + driver.Value + "/imagedb/content/sha256"))
                : None,
            Containers = fs.OfTarget(Path.Combine(fullRoot, "containers")) == FileType.Directory
                ? Some(ReadContainers(names))
                : None,
        };

    private Seq<ImageConfigFile> ReadConfigs(string relative) =>
        List(relative) is DirectoryListing.Listed l
            ? l.Entries.Map(e => new ImageConfigFile(e.Name,
                ReadMetadataFile(Path.Combine(fullRoot, relative, e.Name), ConfigCap).IfNone(() => new RawFile.Unreadable("dangling symbolic link")))).Strict()
            : Empty;

    // Each folder is decoded as soon as it is read, and its bytes dropped.
    private Seq<LayerFunctional.Diagnostics.ContainerFolderRead> ReadContainers(SharedIds names) =>
        List("containers") is DirectoryListing.Listed l
            ? l.Entries.Filter(e => e.Type == EntryType.Directory)
                .Map(e =>
                {
                    Option<RawFile> Read(string file)
                    {
                        var path = Path.Combine(fullRoot, "containers", e.Name, file);
                        return fs.OfLink(path) == FileType.Missing ? None : ReadMetadataFile(path, ConfigCap);
                    }
                    return LayerFunctional.Diagnostics.ContainerFolderRead.Of(new ContainerConfigFile(names.Share(e.Name), Read("config.v2.json")) { HostConfig = Read("hostconfig.json") });
                })
                .Strict()
            : Empty;

    // Listings of the driver's folders, made once: the layerdb read shares cache ID strings with them, the driver home uses them.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DirectoryListing> driverListings = new(StringComparer.Ordinal);

    private DirectoryListing ListOnce(DriverName driver, string sub) =>
        driverListings.GetOrAdd(sub.Length == 0 ? driver.Value : driver.Value + "/" + sub, relative => List(relative));

    private DriverHomeSnapshot ReadDriverHome(DriverName driver)
    {
        var layout = DriverLayout.For(driver);
        var home = ListOnce(driver, "");
        if (home is not DirectoryListing.Listed homeEntries) return new DriverHomeSnapshot(driver, home, default, default, default);
        var idFolders = layout.IdFolders.Map(sub => (sub, ListOnce(driver, sub)));
        var overlay = NameMap<OverlayFolder>.OfSorted([], []);
        var shortLinks = new List<(string, OverlayShortLink)>();
        if (layout.HasShortLinks)
        {
            // The folders in ordinal order, so that the table of their metadata is built as read and a name is found by
            // binary search (no set or dictionary of 120,000 names beside the listing).
            var folders = homeEntries.Entries.Filter(e => e.Type == EntryType.Directory && !layout.IsFixedEntry("", e.Name)).Map(e => e.Name).ToArray();
            System.Array.Sort(folders, string.CompareOrdinal);
            // What each folder's "diff" is, from its listing (null: not known): a short link "../<id>/diff" is then decided
            // without a stat.
            var diffTypes = new FileType?[folders.Length];
            // l/ is listed first: the folders' link and lower files then keep its names, not their own bytes.
            var linkListing = List(driver.Value + "/l");
            var linkNames = linkListing is DirectoryListing.Listed listed ? new ShortLinkNames(listed.Entries.Map(e => e.Name)) : ShortLinkNames.None;
            // Each folder is reduced to what the checks use as soon as it is read: its listing and file map die young.
            var homePath = Path.Combine(fullRoot, driver.Value);
            var indexes = new int[folders.Length];
            for (var i = 0; i < indexes.Length; i++) indexes[i] = i;
            var folderMetadata = ReadAll(indexes, "driver folders", i =>
            {
                var dir = ReadFolderAt(string.Concat(homePath, "/", folders[i]), OverlayFileNames, out var read);
                var files = dir is RawDirectory.Present p ? p.Files : default;
                if (dir is RawDirectory.Present && read is not null) diffTypes[i] = read.TypeOf("diff");
                return OverlayFolder.Of(files.ContentOf("link"), files.ContentOf("lower"), linkNames);
            });
            overlay = NameMap<OverlayFolder>.OfSorted(folders, folderMetadata);
            // "../" from a short link means the driver home only when l/ itself is a real folder.
            var diffKnown = fs.OfLink(Path.Combine(fullRoot, driver.Value, "l")) == FileType.Directory;
            if (linkListing is DirectoryListing.Listed links)
            {
                shortLinks.Capacity = links.Entries.Count;
                foreach (var e in links.Entries)
                {
                    var full = Path.Combine(fullRoot, driver.Value, "l", e.Name);
                    var target = e.Type == EntryType.Symlink ? fs.LinkTarget(full).IfNone("") : "";
                    // The folder a usual "../<folder>/diff" names, when the home lists it: its index in the sorted names.
                    var at = target.Length > 8 && target.StartsWith("../", StringComparison.Ordinal) && target.EndsWith("/diff", StringComparison.Ordinal)
                        ? overlay.IndexOf(target.AsSpan(3, target.Length - 8))
                        : -1;
                    var exists = e.Type == EntryType.Symlink
                        ? ShortLinkLeadsSomewhere(full, at >= 0 && diffKnown ? diffTypes[at] : null)
                        : fs.OfTarget(full) is not (FileType.Missing or FileType.Unreadable);
                    // The usual "../<folder>/diff" keeps only the folder's name, the instance of the home's listing.
                    shortLinks.Add((e.Name, at >= 0 ? OverlayShortLink.ToDiffOf(folders[at], exists) : new OverlayShortLink(target, exists)));
                }
            }
        }
        return new DriverHomeSnapshot(driver, home, toHashMap(idFolders), overlay, NameMap<OverlayShortLink>.Of(shortLinks));
    }

    // Whether a short link's target exists (what stat says): a "../<id>/diff" whose <id> the home lists is answered from
    // that folder's listing (diff: what it showed as "diff") when it holds "diff" as a folder or file, or does not hold it;
    // anything else asks the file system.
    private bool ShortLinkLeadsSomewhere(string full, FileType? diff)
    {
        if (diff is { } known)
            switch (known)
            {
                case FileType.Directory or FileType.Regular: return true;
                case FileType.Missing: return false;
            }
        return fs.OfTarget(full) is not (FileType.Missing or FileType.Unreadable);
    }

    /// <summary>Apparent size in bytes of everything under a path (relative to the root), as <c>du -sb</c>
    /// counts it: symbolic links not followed, a file with several hard links counted once, unreadable parts
    /// skipped.</summary>
    /// <param name="relative">A path relative to the root.</param>
    public long MeasureBytes(string relative)
    {
        long total = 0;
        var seen = new System.Collections.Generic.HashSet<(ulong, ulong)>();
        var stack = new Stack<string>();
        var start = Path.Combine(fullRoot, relative);
        // Links inside are not followed (lstat); one on the way to the start that leads out of the root is not either.
        if (OutsideTarget(start).IsSome) return 0;
        stack.Push(start);
        while (stack.Count > 0)
        {
            var path = stack.Pop();
            switch (fs.OfLink(path))
            {
                case FileType.Regular:
                    if (fs.Identity(path).TrySome(out var id) && (id.Links <= 1 || seen.Add((id.Device, id.Inode)))) total += id.Size;
                    break;
                case FileType.Directory:
                    try
                    {
                        foreach (var child in fs.List(path)) stack.Push(Path.Combine(path, child));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                    break;
            }
        }
        return total;
    }

    /// <inheritdoc/>
    public void Dispose() => fs.Dispose();
}
