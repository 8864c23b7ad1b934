using LanguageExt;

namespace LayerFunctional.Snapshot;

/// <summary>The type of a folder entry as <c>os.ReadDir</c> reports it (no symbolic link is followed).</summary>
public enum EntryType
{
    /// <summary>A real directory.</summary>
    Directory,
    /// <summary>A regular file.</summary>
    File,
    /// <summary>A symbolic link (to anything).</summary>
    Symlink,
    /// <summary>A FIFO, socket or device.</summary>
    Other,
}

/// <summary>One entry of a folder listing: a value held inline in its listing (a driver home lists 120,000 at 100,000 layers).</summary>
/// <param name="Name">The file name.</param>
/// <param name="Type">Its type, from <c>lstat</c>.</param>
public readonly record struct DirectoryEntry(string Name, EntryType Type);

/// <summary>The result of listing <c>layerdb/sha256</c> or <c>layerdb/mounts</c> (moby <c>filestore.go List</c>).</summary>
public abstract record DirectoryListing
{
    private DirectoryListing() { }

    /// <summary>The folder does not exist (or is a dangling link): moby lists nothing and goes on.</summary>
    public sealed record Absent : DirectoryListing;

    /// <summary>Any other error (not a folder, permission denied): moby's store, and the daemon, fail.</summary>
    /// <param name="Reason">The error, e.g. <c>not a directory</c>.</param>
    public sealed record Failed(string Reason) : DirectoryListing;

    /// <summary>The entries, in any order (the core sorts them).</summary>
    /// <param name="Entries">Every entry of the folder.</param>
    public sealed record Listed(Seq<DirectoryEntry> Entries) : DirectoryListing;
}
