using LanguageExt;
using LayerFunctional.Parsing;
using static LanguageExt.Prelude;

namespace LayerFunctional.Snapshot;

/// <summary>
/// One <c>layerdb/mounts/&lt;name&gt;</c> folder as the load and the checks need it, parsed when it is read so that its bytes
/// can be dropped (as <see cref="LayerFolderRead"/> is for a layer folder): what <c>loadMount</c> makes of it (layer-store.md
/// §7.1), and the raw facts the checks beyond moby's look at — the ID texts whatever else fails, which ID files could not be
/// read, which files are oversized. Built by <see cref="Of(string, string, RawDirectory, MobyVersion, SharedIds)"/>.
/// </summary>
/// <param name="Parsed">Right: the folder as <c>loadMount</c> reads it (<see cref="MountFolderParser"/>); Left: the first
/// file that fails, or the folder that could not be read.</param>
/// <param name="IsPresent">Whether the folder was read (false: unreadable, or gone while reading).</param>
/// <param name="MountIdText">The trimmed text of <c>mount-id</c> when it reads and is not blank, valid or not (the instance
/// of the driver home's listing when it names a folder there).</param>
/// <param name="InitIdText">The same for <c>init-id</c>.</param>
/// <param name="ParentLink">The chain ID its <c>parent</c> file names, if that file reads and parses, whatever else fails.</param>
/// <param name="UnreadIdFiles">Of <c>mount-id</c> and <c>init-id</c>, those present whose content could not be read, in that order.</param>
/// <param name="Oversized">Files read whole that exceed <see cref="MetadataLimits.Usual"/>: (name, bytes), by name.</param>
public sealed record MountFolderRead(
    Either<LayerError, MountFolder> Parsed,
    bool IsPresent,
    Option<string> MountIdText,
    Option<string> InitIdText,
    Option<ChainID> ParentLink,
    Seq<string> UnreadIdFiles,
    Seq<(string Name, int Length)> Oversized)
{
    /// <summary>Whether its <c>mount-id</c> or its <c>init-id</c> is a valid driver ID, so names a folder of the driver.</summary>
    public bool NamesAFolder => MountIdText.Exists(DriverIds.IsValidId) || InitIdText.Exists(DriverIds.IsValidId);

    /// <summary>The ID files a mount folder holds, in <c>loadMount</c>'s order.</summary>
    private static readonly string[] IdFiles = ["mount-id", "init-id"];

    /// <summary>Parses one mount folder as read.</summary>
    /// <param name="name">The mount name (the folder's name).</param>
    /// <param name="folder">The folder relative to the docker root (paths in errors).</param>
    /// <param name="dir">What the shell read there.</param>
    /// <param name="version">Rule set (digest case of <c>parent</c>).</param>
    public static MountFolderRead Of(string name, string folder, RawDirectory dir, MobyVersion version) =>
        Of(name, folder, dir, version, SharedIds.None);

    /// <summary>Parses one mount folder as read, its IDs and parent shared with known instances.</summary>
    /// <param name="name">The mount name (the folder's name).</param>
    /// <param name="folder">The folder relative to the docker root (paths in errors).</param>
    /// <param name="dir">What the shell read there.</param>
    /// <param name="version">Rule set (digest case of <c>parent</c>).</param>
    /// <param name="ids">Known chain IDs and names (<see cref="SharedIds"/>): the driver home's listing.</param>
    public static MountFolderRead Of(string name, string folder, RawDirectory dir, MobyVersion version, SharedIds ids)
    {
        if (dir is not RawDirectory.Present present)
            return NotRead(folder, dir is RawDirectory.Unreadable u ? u.Reason : "vanished while reading");
        var parsed = MountFolderParser.Parse(name, folder, present, version, ids);
        var unread = Seq<string>();
        foreach (var file in IdFiles)
            if (present.Files.Find(file).Exists(f => f is not RawFile.Content)) unread = unread.Add(file);
        var oversized = present.Files.Oversized();
        return parsed.TryRight(out var mount)
            // A valid ID is never blank: the texts are the parsed IDs' own strings.
            ? new(parsed, true, mount.MountID.Value, mount.InitID.Map(static i => i.Value), mount.Parent, unread, oversized)
            : new(parsed, true, IdText(present, "mount-id", ids), IdText(present, "init-id", ids),
                LayerFolderRead.ParentOf(present, version).Map(ids.Share), unread, oversized);
    }

    /// <summary>A listed mount folder the shell did not read: <c>loadMount</c> fails on its first file.</summary>
    /// <param name="folder">The folder relative to the docker root.</param>
    /// <param name="reason">Why it was not read, e.g. <c>permission denied</c>.</param>
    public static MountFolderRead NotRead(string folder, string reason) =>
        new(new LayerError.FileUnreadable(folder, ProblemKind.EntryUnreadable, reason), false, None, None, None, Empty, Empty);

    private static Option<string> IdText(RawDirectory.Present dir, string file, SharedIds ids) =>
        dir.Files.ContentOf(file).Map(b => ids.Share(Go.GoText.TrimSpace(b))).Filter(static s => s.Length > 0);
}
