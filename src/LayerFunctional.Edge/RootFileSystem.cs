using LanguageExt;
using LayerFunctional.Generation;
using LayerFunctional.Snapshot;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace LayerFunctional.Edge;

/// <summary>
/// The few read-only questions the shell asks of a docker root's file system, all by absolute path.
/// <see cref="PhysicalRootFileSystem"/> answers them from the disk; <see cref="InMemoryRootFileSystem"/>
/// from a <see cref="GeneratedRoot"/> held in memory, so properties can check thousands of generated
/// roots through the very same reader without writing them.
/// Listing and opening throw <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> on failure,
/// which the reader turns into values.
/// </summary>
public interface IRootFileSystem : IDisposable
{
    /// <summary>The type of the path itself (<c>lstat</c>).</summary>
    /// <param name="fullPath">Absolute path.</param>
    FileType OfLink(string fullPath);

    /// <summary>The type of what the path names, links followed (<c>stat</c>); a dangling link is missing.</summary>
    /// <param name="fullPath">Absolute path.</param>
    FileType OfTarget(string fullPath);

    /// <summary>The canonical path with every link resolved (<c>realpath</c>); None on a missing target, a loop or an error.</summary>
    /// <param name="fullPath">Absolute path.</param>
    Option<string> RealPath(string fullPath);

    /// <summary>The names in a folder (links to folders followed), in the file system's order.</summary>
    /// <param name="fullPath">Absolute path of a folder.</param>
    IEnumerable<string> List(string fullPath);

    /// <summary>Opens a regular file for reading only, taking no lock (a daemon may be writing).</summary>
    /// <param name="fullPath">Absolute path.</param>
    Stream OpenRead(string fullPath);

    /// <summary>The text of a symbolic link; None when the path is not one.</summary>
    /// <param name="fullPath">Absolute path.</param>
    Option<string> LinkTarget(string fullPath);

    /// <summary>Device, inode, link count and apparent size of a file (link not followed); None when it cannot be examined.</summary>
    /// <param name="fullPath">Absolute path.</param>
    Option<FileIdentity> Identity(string fullPath);

    /// <summary>
    /// Lists a folder with each entry's own type (a symbolic link is <see cref="FileType.Symlink"/>; an entry gone
    /// since the listing is <see cref="FileType.Missing"/>) and reads the wanted names that are regular files, up to
    /// <paramref name="cap"/> bytes each. The default composes <see cref="List"/>, <see cref="OfLink"/> and
    /// <see cref="OpenRead"/>; the disk overrides it with one <c>getdents</c> walk and descriptor-relative reads.
    /// </summary>
    /// <param name="fullPath">Absolute path of a folder (a link to a folder is followed).</param>
    /// <param name="wanted">Names of files to read when they are regular files.</param>
    /// <param name="cap">Largest file read, in bytes; a larger one is <see cref="RawFile.TooLarge"/>.</param>
    /// <returns>Every entry in listing order; the files read (content, too large, or why unreadable).</returns>
    /// <exception cref="IOException">The folder cannot be listed.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied on the folder.</exception>
    FolderRead ReadFolder(string fullPath, IReadOnlyCollection<string> wanted, int cap) => FileReads.ReadFolderByPath(this, fullPath, wanted, cap);

    /// <summary>
    /// Lists a folder as <see cref="ReadFolder"/> does (nothing read), handing each entry to <paramref name="take"/> first: an
    /// entry it takes is left out of the listing. The disk's reader hands over the name's bytes before making any text of
    /// it, so a folder of 100,000 layer folders makes no 100,000 names that die at once.
    /// </summary>
    /// <param name="fullPath">Absolute path of a folder (a link to a folder is followed).</param>
    /// <param name="take">Given a valid UTF-8 name and the entry's own type; true takes the entry.</param>
    /// <returns>The entries not taken, in listing order.</returns>
    /// <exception cref="IOException">The folder cannot be listed.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied on the folder.</exception>
    FolderRead ListTaking(string fullPath, EntryTaker take) => FileReads.ListTakingByName(this, fullPath, take);
}

/// <summary>Takes an entry of a listing by its name's UTF-8 bytes and its own type (<see cref="IRootFileSystem.ListTaking"/>).</summary>
/// <param name="name">The name, valid UTF-8.</param>
/// <param name="type">The entry's own type.</param>
/// <returns>True to take the entry out of the listing.</returns>
public delegate bool EntryTaker(ReadOnlySpan<byte> name, FileType type);

/// <summary>One entry of a folder listing.</summary>
/// <param name="Name">The entry's name.</param>
/// <param name="Type">Its own type (<c>lstat</c>: a symbolic link is not followed).</param>
public readonly record struct FolderEntry(string Name, FileType Type);

/// <summary>A folder's entries and the wanted regular files read from it (<see cref="IRootFileSystem.ReadFolder"/>).</summary>
/// <param name="Entries">Every entry but <c>.</c> and <c>..</c>, in listing order.</param>
/// <param name="Files">Wanted names that were regular files when listed, with their content, size or read error, in listing
/// order (a handful: a list, not a map, for 100,000 folders).</param>
public sealed record FolderRead(IReadOnlyList<FolderEntry> Entries, IReadOnlyList<(string Name, RawFile File)> Files)
{
    /// <summary>The file read under <paramref name="name"/>; None when it was not read.</summary>
    /// <param name="name">A wanted name.</param>
    public RawFile? FileNamed(string name)
    {
        // By index: a foreach over the interface would box an enumerator per call (five calls per folder).
        for (var i = 0; i < Files.Count; i++)
            if (string.Equals(Files[i].Name, name, StringComparison.Ordinal)) return Files[i].File;
        return null;
    }

    /// <summary>The type of entry <paramref name="name"/>; <see cref="FileType.Missing"/> when the folder has none.</summary>
    /// <param name="name">An entry name.</param>
    public FileType TypeOf(string name)
    {
        for (var i = 0; i < Entries.Count; i++)
            if (string.Equals(Entries[i].Name, name, StringComparison.Ordinal)) return Entries[i].Type;
        return FileType.Missing;
    }
}

/// <summary>Reads small files whole, capped.</summary>
public static class FileReads
{
    /// <summary><see cref="IRootFileSystem.ListTaking"/> over <see cref="IRootFileSystem.ReadFolder"/>: the listing's names are
    /// made first, then offered (for file systems without the native reader, and the tests' in-memory roots).</summary>
    /// <param name="fs">The file system.</param>
    /// <param name="fullPath">Absolute path of a folder.</param>
    /// <param name="take">Given each valid name and its type; true takes the entry.</param>
    public static FolderRead ListTakingByName(IRootFileSystem fs, string fullPath, EntryTaker take)
    {
        var all = fs.ReadFolder(fullPath, [], 0);
        var kept = new List<FolderEntry>(all.Entries.Count);
        foreach (var e in all.Entries)
            if (e.Type == FileType.Missing || !take(System.Text.Encoding.UTF8.GetBytes(e.Name), e.Type)) kept.Add(e);
        return all with { Entries = kept };
    }

    /// <summary><see cref="IRootFileSystem.ReadFolder"/> by path: <see cref="IRootFileSystem.List"/>, then
    /// <see cref="IRootFileSystem.OfLink"/> on each entry and <see cref="ReadCapped"/> on each wanted regular file.</summary>
    /// <param name="fs">The file system.</param>
    /// <param name="fullPath">Absolute path of a folder.</param>
    /// <param name="wanted">Names of files to read when they are regular files.</param>
    /// <param name="cap">Largest file read, in bytes.</param>
    public static FolderRead ReadFolderByPath(IRootFileSystem fs, string fullPath, IReadOnlyCollection<string> wanted, int cap)
    {
        var entries = new List<FolderEntry>();
        var files = new List<(string, RawFile)>();
        foreach (var name in fs.List(fullPath))
        {
            var full = Path.Combine(fullPath, name);
            var type = fs.OfLink(full);
            entries.Add(new FolderEntry(name, type));
            if (type == FileType.Regular && wanted.Contains(name)) files.Add((name, ReadCapped(() => fs.OpenRead(full), cap)));
        }
        return new FolderRead(entries, files);
    }

    /// <summary>Reads what <c>fstat</c> promised, and once more only when the file turned out larger (a writer at work).</summary>
    /// <param name="open">Opens the file (read-only, sharing everything).</param>
    /// <param name="cap">Largest content read, in bytes.</param>
    /// <returns>The content, <see cref="RawFile.TooLarge"/> with the length, or <see cref="RawFile.Unreadable"/> with the error.</returns>
    public static RawFile ReadCapped(Func<Stream> open, int cap)
    {
        try
        {
            using var stream = open();
            var length = stream.Length;
            if (length > cap) return new RawFile.TooLarge(length);
            var buffer = new byte[length + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer.AsSpan(total, total < length ? (int)length - total : buffer.Length - total))) > 0)
            {
                total += read;
                if (total == length && length > 0) break;
            }
            if (total > cap) return new RawFile.TooLarge(total);
            return new RawFile.Content(buffer.AsSpan(0, total).ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RawFile.Unreadable(e.Message);
        }
    }
}

/// <summary>What identifies a file on its device, and its size.</summary>
/// <param name="Device">Device number.</param>
/// <param name="Inode">Inode number.</param>
/// <param name="Links">Hard-link count.</param>
/// <param name="Size">Apparent size in bytes.</param>
public sealed record FileIdentity(ulong Device, ulong Inode, uint Links, long Size);

/// <summary>The disk, read through <see cref="PhysicalFileProvider"/> (listings) and the runtime's
/// <c>lstat</c>/<c>stat</c>/<c>realpath</c> (types, decided before anything is opened).</summary>
public sealed class PhysicalRootFileSystem : IRootFileSystem
{
    private readonly string root;
    private readonly Lazy<PhysicalFileProvider> provider;

    /// <summary>Reads under <paramref name="fullRoot"/>.</summary>
    /// <param name="fullRoot">The docker root, absolute, without a trailing separator.</param>
    public PhysicalRootFileSystem(string fullRoot)
    {
        root = fullRoot;
        // Created on first listing: its constructor throws when the root does not exist, which the caller checks first.
        provider = new Lazy<PhysicalFileProvider>(() => new PhysicalFileProvider(fullRoot, ExclusionFilters.None) { UsePollingFileWatcher = false });
    }

    /// <inheritdoc/>
    public FileType OfLink(string fullPath) => FileTypes.OfLink(fullPath);

    /// <inheritdoc/>
    public FileType OfTarget(string fullPath) => FileTypes.OfTarget(fullPath);

    /// <inheritdoc/>
    public Option<string> RealPath(string fullPath) => Prelude.Optional(FileTypes.RealPath(fullPath));

    /// <inheritdoc/>
    public IEnumerable<string> List(string fullPath) =>
        fullPath.StartsWith(root + "/", StringComparison.Ordinal)
            ? provider.Value.GetDirectoryContents(fullPath[(root.Length + 1)..]).Select(f => f.Name)
            : Directory.EnumerateFileSystemEntries(fullPath).Select(p => Path.GetFileName(p));

    /// <inheritdoc/>
    public Stream OpenRead(string fullPath) => FileTypes.OpenReadWithoutLock(fullPath);

    /// <inheritdoc/>
    public FolderRead ReadFolder(string fullPath, IReadOnlyCollection<string> wanted, int cap) =>
        NativeFolders.Supported ? NativeFolders.ReadFolder(fullPath, wanted, cap) : FileReads.ReadFolderByPath(this, fullPath, wanted, cap);

    /// <inheritdoc/>
    public FolderRead ListTaking(string fullPath, EntryTaker take) =>
        NativeFolders.Supported ? NativeFolders.ReadFolder(fullPath, [], 0, take) : FileReads.ListTakingByName(this, fullPath, take);

    /// <inheritdoc/>
    public Option<string> LinkTarget(string fullPath)
    {
        try
        {
            return Prelude.Optional(FileTypes.ReadLink(fullPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Option<string>.None;
        }
    }

    /// <inheritdoc/>
    public Option<FileIdentity> Identity(string fullPath) =>
        FileTypes.Identity(fullPath) is { } id ? new FileIdentity(id.Device, id.Inode, id.Links, id.Size) : Option<FileIdentity>.None;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (provider.IsValueCreated) provider.Value.Dispose();
    }
}

/// <summary>
/// A <see cref="GeneratedRoot"/> seen as a file system mounted at <see cref="Root"/>: folders, regular files
/// and symbolic links exactly as <see cref="RootWriter"/> would write them (parent folders implied). Links are
/// resolved inside the model; a link that leaves the root is taken to reach an existing regular file outside
/// (as <c>/etc/hostname</c> does on any Linux host). Listings are in ordinal order. Nothing touches the disk.
/// </summary>
public sealed class InMemoryRootFileSystem : IRootFileSystem
{
    /// <summary>Where the model appears to be mounted.</summary>
    public const string Root = "/layerfn-in-memory-root";

    private abstract record Node;
    private sealed record FolderNode(SortedSet<string> Names) : Node;
    private sealed record FileNode(byte[] Bytes) : Node;
    private sealed record LinkNode(string Target) : Node;

    private readonly Dictionary<string, Node> nodes = new(StringComparer.Ordinal);

    /// <summary>Builds the file system of a generated root.</summary>
    /// <param name="model">The root.</param>
    public InMemoryRootFileSystem(GeneratedRoot model)
    {
        nodes[Root] = new FolderNode(new SortedSet<string>(StringComparer.Ordinal));
        foreach (var entry in model.Entries)
        {
            var full = Root + "/" + entry.Path;
            EnsureFolder(Path.GetDirectoryName(full)!);
            switch (entry)
            {
                case GeneratedEntry.Folder: EnsureFolder(full); break;
                case GeneratedEntry.File f: Put(full, new FileNode(f.Bytes)); break;
                case GeneratedEntry.Link l: Put(full, new LinkNode(l.Target)); break;
            }
        }
    }

    private void EnsureFolder(string full)
    {
        if (nodes.TryGetValue(full, out var n) && n is FolderNode) return;
        if (full != Root) EnsureFolder(Path.GetDirectoryName(full)!);
        Put(full, new FolderNode(new SortedSet<string>(StringComparer.Ordinal)));
    }

    private void Put(string full, Node node)
    {
        nodes[full] = node;
        if (full != Root && nodes[Path.GetDirectoryName(full)!] is FolderNode parent) parent.Names.Add(Path.GetFileName(full));
    }

    private static bool Inside(string full) => full == Root || full.StartsWith(Root + "/", StringComparison.Ordinal);

    /// <summary>Resolves every link in every component (the last one only when <paramref name="followLast"/>);
    /// null on a link loop. A path that does not exist resolves to a path with no node; paths outside the
    /// root are returned as they are.</summary>
    private string? Resolve(string full, bool followLast, int budget = 40)
    {
        if (!Inside(full)) return full;
        var parts = full[Root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = parts[i] == ".." ? (at == Root ? Root : Path.GetDirectoryName(at)!) : parts[i] == "." ? at : at + "/" + parts[i];
            if (!Inside(next)) return next + "/" + string.Join('/', parts[(i + 1)..]);
            if (nodes.TryGetValue(next, out var node) && node is LinkNode link && (followLast || i < parts.Length - 1))
            {
                if (budget == 0) return null;
                var target = link.Target.StartsWith('/') ? link.Target : at + "/" + link.Target;
                var resolved = Resolve(Normalize(target), followLast: true, budget - 1);
                if (resolved is null) return null;
                if (!Inside(resolved)) return Normalize(resolved + (i < parts.Length - 1 ? "/" + string.Join('/', parts[(i + 1)..]) : ""));
                next = resolved;
            }
            else if (!nodes.ContainsKey(next))
            {
                return next + (i < parts.Length - 1 ? "/" + string.Join('/', parts[(i + 1)..]) : "");   // does not exist
            }
            at = next;
        }
        return at;
    }

    private static string Normalize(string path)
    {
        var stack = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); continue; }
            stack.Add(p);
        }
        return "/" + string.Join('/', stack);
    }

    private FileType TypeOf(string full, bool follow)
    {
        var resolved = Resolve(full, follow);
        if (resolved is null) return FileType.Unreadable;   // ELOOP
        if (!Inside(resolved)) return FileType.Regular;
        return nodes.TryGetValue(resolved, out var node)
            ? node switch { FolderNode => FileType.Directory, FileNode => FileType.Regular, _ => FileType.Symlink }
            : FileType.Missing;
    }

    /// <inheritdoc/>
    public FileType OfLink(string fullPath) => TypeOf(fullPath, follow: false);

    /// <inheritdoc/>
    public FileType OfTarget(string fullPath) => TypeOf(fullPath, follow: true);

    /// <inheritdoc/>
    public Option<string> RealPath(string fullPath) =>
        Resolve(fullPath, followLast: true) is { } r && (!Inside(r) || nodes.ContainsKey(r)) ? r : Option<string>.None;

    /// <inheritdoc/>
    public IEnumerable<string> List(string fullPath) =>
        RealPath(fullPath).TrySome(out var r) && nodes.TryGetValue(r, out var node) && node is FolderNode folder
            ? folder.Names.ToList()
            : throw new DirectoryNotFoundException(fullPath + " is not a folder");

    /// <inheritdoc/>
    public Stream OpenRead(string fullPath) =>
        RealPath(fullPath).TrySome(out var r) && nodes.TryGetValue(r, out var node) && node is FileNode file
            ? new MemoryStream(file.Bytes, writable: false)
            : throw new FileNotFoundException(fullPath + " is not a regular file in the model");

    /// <inheritdoc/>
    public Option<string> LinkTarget(string fullPath) =>
        Resolve(fullPath, followLast: false) is { } r && nodes.TryGetValue(r, out var node) && node is LinkNode link ? link.Target : Option<string>.None;

    /// <inheritdoc/>
    public Option<FileIdentity> Identity(string fullPath) =>
        Resolve(fullPath, followLast: false) is { } r && nodes.TryGetValue(r, out var node)
            ? new FileIdentity(0UL, (ulong)(uint)StringComparer.Ordinal.GetHashCode(r), 1u, node is FileNode f ? f.Bytes.Length : 0L)
            : Option<FileIdentity>.None;

    /// <inheritdoc/>
    public void Dispose() { }
}
