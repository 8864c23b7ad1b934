using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Drivers;

/// <summary>
/// Where a graph driver keeps each driver ID under its home (layer-store.md §6.6), for offline
/// answers to "does cache ID X exist, where is its content, what is orphaned". Paths are relative to
/// the docker root, <c>/</c>-separated.
/// </summary>
/// <param name="Driver">The driver name.</param>
/// <param name="IdFolders">Sub-folders of the home whose entries are driver IDs (<c>""</c> = the home
/// itself); the first one holds the content and decides existence.</param>
/// <param name="Decidable">False for drivers whose IDs cannot be checked offline (zfs datasets,
/// devicemapper thin devices only approximately).</param>
public sealed record DriverLayout(DriverName Driver, Seq<string> IdFolders, bool Decidable)
{
    /// <summary>The layout of a driver; unknown drivers get an undecidable layout.</summary>
    /// <param name="driver">The driver name.</param>
    public static DriverLayout For(DriverName driver) => driver.Value switch
    {
        "overlay2" or "fuse-overlayfs" or "overlay" or "windowsfilter" => new(driver, Seq1(""), true),
        "aufs" => new(driver, Seq("layers", "diff", "mnt"), true),   // Exists is Lstat(layers/<id>)
        "vfs" => new(driver, Seq1("dir"), true),
        "btrfs" => new(driver, Seq1("subvolumes"), true),
        "devicemapper" => new(driver, Seq1("metadata"), true),
        _ => new(driver, Seq1("graph"), false),
    };

    /// <summary>True for overlay2 and fuse-overlayfs, which keep <c>link</c>, <c>lower</c> and <c>l/</c>.</summary>
    public bool HasShortLinks => Driver.Value is "overlay2" or "fuse-overlayfs";

    /// <summary>The folder of a driver ID in the main ID folder, e.g. <c>overlay2/3f…</c>, <c>aufs/diff/3f…</c>,
    /// <c>vfs/dir/3f…</c> (vfs applies <c>filepath.Base</c> to the ID).</summary>
    /// <param name="id">A cache ID, mount ID or init ID.</param>
    public string FolderOf(string id) => Join(Driver.Value, IdFolders[0], EntryNameOf(id));

    /// <summary>The entry name of a driver ID in the main ID folder (vfs: <c>filepath.Base</c> of it).</summary>
    /// <param name="id">A cache ID, mount ID or init ID.</param>
    public string EntryNameOf(string id) => Driver == "vfs" ? BaseName(id) : id;

    /// <summary>Where the layer's files are: overlay2 <c>&lt;id&gt;/diff</c>, overlay <c>&lt;id&gt;/root</c>,
    /// aufs <c>diff/&lt;id&gt;</c>, vfs <c>dir/&lt;id&gt;</c>, btrfs <c>subvolumes/&lt;id&gt;</c>.</summary>
    /// <param name="id">A cache ID.</param>
    public string ContentOf(string id) => Driver.Value switch
    {
        "overlay2" or "fuse-overlayfs" => FolderOf(id) + "/diff",
        "overlay" => FolderOf(id) + "/root",
        "aufs" => "aufs/diff/" + id,
        _ => FolderOf(id),
    };

    /// <summary>Entries of an ID folder that belong to the driver, not to any layer.</summary>
    /// <param name="idFolder">The sub-folder (<c>""</c> = home).</param>
    /// <param name="name">The entry name.</param>
    public bool IsFixedEntry(string idFolder, string name) => (Driver.Value, idFolder) switch
    {
        ("overlay2" or "fuse-overlayfs", "") => name is "l" or "backingFsBlockDev"
            || name.StartsWith("opaque-bug-check", StringComparison.Ordinal)
            || name.StartsWith("metacopy-check", StringComparison.Ordinal)
            || name.StartsWith("check-overlayfs-support", StringComparison.Ordinal),
        ("devicemapper", "metadata") => name is "base" or "deviceset-metadata" or "transaction-metadata",
        _ => false,
    };

    private static string BaseName(string id)
    {
        var trimmed = id.TrimEnd('/');
        var i = trimmed.LastIndexOf('/');
        return trimmed.Length == 0 ? "/" : i < 0 ? trimmed : trimmed[(i + 1)..];
    }

    private static string Join(params string[] parts) => string.Join('/', parts.Where(p => p.Length > 0));
}
