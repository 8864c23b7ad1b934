using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using static LanguageExt.Prelude;

namespace LayerFunctional.Edge;

/// <summary>
/// Reads a docker root read-only, through <see cref="PhysicalFileProvider"/>, into the plain values the
/// core decides on: the state of each graph-driver home and a <see cref="LayerDbSnapshot"/>. It never
/// creates, writes or locks anything under the root (moby's <c>MkdirAll</c> of the layerdb is not
/// imitated), and turns read failures into values, not exceptions.
/// </summary>
public sealed class DockerRootReader : IDisposable
{
    /// <summary>Metadata files larger than this (bytes) are not loaded: <c>file_too_large</c>.
    /// moby writes at most a few hundred bytes in any of them.</summary>
    public const int MetadataCap = 64 * 1024;

    private readonly PhysicalFileProvider provider;
    private readonly string fullRoot;
    private readonly Lazy<string> rootTarget;

    /// <summary>Opens a docker root for reading.</summary>
    /// <param name="root">The docker root, absolute or relative to the working directory.</param>
    public DockerRootReader(string root)
    {
        fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        provider = new PhysicalFileProvider(fullRoot, ExclusionFilters.None) { UsePollingFileWatcher = false };
        rootTarget = new Lazy<string>(() => new DirectoryInfo(fullRoot).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullRoot);
    }

    /// <summary>The absolute root path.</summary>
    public string FullRoot => fullRoot;

    /// <summary>What is at <c>&lt;root&gt;/&lt;name&gt;</c> for every Linux driver name (moby's prior-state scan
    /// inputs: <c>os.Stat</c> follows links; <c>isEmptyDir</c> reads one entry).</summary>
    public Map<string, DriverHomeState> ReadDriverHomes() =>
        toMap(DriverSelection.AllDriverNames.Map(name => (name, HomeState(name))));

    private DriverHomeState HomeState(string name)
    {
        var full = Path.Combine(fullRoot, name);
        try
        {
            if (Directory.Exists(full))
                return Directory.EnumerateFileSystemEntries(full).Any() ? DriverHomeState.NonEmptyDirectory : DriverHomeState.EmptyDirectory;
            return File.Exists(full) ? DriverHomeState.NotADirectory : DriverHomeState.Absent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DriverHomeState.Unreadable;
        }
    }

    /// <summary>
    /// Reads <c>image/&lt;driver&gt;/layerdb</c>: the listings of <c>sha256/</c> and <c>mounts/</c>, every
    /// listed layer and mount folder, then every folder that parent links reach, until the core asks
    /// for nothing more (<see cref="LayerStoreLoad.UnreadParentFolders"/>).
    /// </summary>
    /// <param name="driver">The graph driver's name.</param>
    /// <param name="version">Rule set (which names are listed, digest case).</param>
    /// <returns>The snapshot; absent when the layerdb does not exist.</returns>
    public LayerDbSnapshot ReadLayerDb(string driver, MobyVersion version)
    {
        var layerDb = "image/" + driver + "/layerdb";
        var (kind, reason) = PathProbe.Probe(Path.Combine(fullRoot, layerDb));
        if (kind == PathKind.Missing) return LayerDbSnapshot.Absent(layerDb);
        if (kind != PathKind.Directory)
        {
            // moby's MkdirAll of the layerdb, or its listing, fails: the store does not open.
            var failed = new DirectoryListing.Failed(kind == PathKind.NotADirectory ? "layerdb is not a directory" : reason);
            return new LayerDbSnapshot(layerDb, true, failed, failed, default, default);
        }
        var sha256 = List(layerDb + "/sha256");
        var mounts = List(layerDb + "/mounts");
        var layerDirs = new Dictionary<string, RawDirectory>(StringComparer.Ordinal);
        foreach (var id in LayerStoreLoad.ListedLayers(sha256, version))
            layerDirs[id.Digest.FolderKey] = ReadFolder(layerDb + "/" + id.Digest.FolderKey, LayerDbSnapshot.LayerFiles);
        var mountDirs = new Dictionary<string, RawDirectory>(StringComparer.Ordinal);
        foreach (var name in LayerStoreLoad.ListedMounts(mounts))
            mountDirs[name] = ReadFolder(layerDb + "/mounts/" + name, LayerDbSnapshot.MountFiles);

        var snapshot = new LayerDbSnapshot(layerDb, true, sha256, mounts, toHashMap(layerDirs.Select(kv => (kv.Key, kv.Value))), toHashMap(mountDirs.Select(kv => (kv.Key, kv.Value))));
        // Parent links may reach folders the listing skips (symbolic links, sha512/): read them too.
        for (var wanted = LayerStoreLoad.UnreadParentFolders(snapshot, version); !wanted.IsEmpty; wanted = LayerStoreLoad.UnreadParentFolders(snapshot, version))
            snapshot = snapshot with
            {
                LayerDirs = wanted.Fold(snapshot.LayerDirs, (dirs, key) => dirs.AddOrUpdate(key, ReadFolder(layerDb + "/" + key, LayerDbSnapshot.LayerFiles, reachedByLink: true))),
            };
        return snapshot;
    }

    /// <summary>Drivers that have an <c>image/&lt;driver&gt;/layerdb</c> folder, sorted ordinal.</summary>
    public Seq<string> LayerDbDrivers() =>
        provider.GetDirectoryContents("image").Where(d => d.IsDirectory)
            .Select(d => d.Name)
            .Where(n => provider.GetDirectoryContents("image/" + n + "/layerdb").Exists)
            .OrderBy(n => n, StringComparer.Ordinal).ToSeq().Strict();

    private DirectoryListing List(string relative)
    {
        var full = Path.Combine(fullRoot, relative);
        var (kind, reason) = PathProbe.Probe(full);
        switch (kind)
        {
            case PathKind.Missing: return new DirectoryListing.Absent();
            case PathKind.NotADirectory: return new DirectoryListing.Failed("not a directory");
            case PathKind.Unreadable: return new DirectoryListing.Failed(reason);
        }
        try
        {
            var entries = provider.GetDirectoryContents(relative)
                .Select(f => new DirectoryEntry(f.Name, TypeOf(f)))
                .ToSeq().Strict();
            return new DirectoryListing.Listed(entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DirectoryListing.Failed(e.Message);
        }
    }

    private static EntryType TypeOf(IFileInfo f)
    {
        if (f.PhysicalPath is null) return EntryType.Other;
        FileSystemInfo info = f.IsDirectory ? new DirectoryInfo(f.PhysicalPath) : new FileInfo(f.PhysicalPath);
        if (info.LinkTarget is not null) return EntryType.Symlink;
        return f.IsDirectory ? EntryType.Directory : EntryType.File;
    }

    private RawDirectory ReadFolder(string relative, Seq<string> wanted, bool reachedByLink = false)
    {
        var full = Path.Combine(fullRoot, relative);
        try
        {
            // Listed folders are real directories inside the root; folders reached through parent
            // links may be missing, files, or symbolic links that point anywhere.
            if (reachedByLink)
            {
                var (kind, reason) = PathProbe.Probe(full);
                if (kind == PathKind.Missing) return new RawDirectory.Missing();
                if (kind != PathKind.Directory) return new RawDirectory.Unreadable(kind == PathKind.NotADirectory ? "not a directory" : reason);
                if (!IsInsideRoot(full)) return new RawDirectory.Unreadable("symbolic link to a folder outside the docker root (not followed)");
            }
            var names = new List<string>();
            var files = new List<(string, RawFile)>();
            foreach (var f in provider.GetDirectoryContents(relative))
            {
                names.Add(f.Name);
                if (wanted.Contains(f.Name)) files.Add((f.Name, ReadFile(f)));
            }
            return new RawDirectory.Present(names.ToSeq().Strict(), toHashMap(files));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RawDirectory.Unreadable(e.Message);
        }
    }

    private bool IsInsideRoot(string full)
    {
        var resolved = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        var rootResolved = rootTarget.Value;
        return resolved == fullRoot || resolved == rootResolved
               || resolved.StartsWith(fullRoot + "/", StringComparison.Ordinal)
               || resolved.StartsWith(rootResolved + "/", StringComparison.Ordinal);
    }

    private static RawFile ReadFile(IFileInfo f)
    {
        if (f.IsDirectory) return new RawFile.NotRegular("directory");
        if (f.PhysicalPath is null) return new RawFile.Unreadable("no physical path");
        try
        {
            // Opened for reading only, sharing everything: a running daemon may be writing.
            using var handle = File.OpenHandle(f.PhysicalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length > MetadataCap) return new RawFile.TooLarge(length);
            var buffer = new byte[length + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0) total += read;
            if (total > MetadataCap) return new RawFile.TooLarge(total);
            return new RawFile.Content(total == buffer.Length ? buffer : buffer.AsSpan(0, total).ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RawFile.Unreadable(e.Message);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => provider.Dispose();
}
