using LanguageExt;

namespace LayerFunctional.Snapshot;

/// <summary>What the shell found when it read a layer's <c>tar-split.json.gz</c> to the end.</summary>
public abstract record TarSplitState
{
    private TarSplitState() { }

    /// <summary>A complete gzip stream of well-formed tar-split entries.</summary>
    /// <param name="Entries">Number of entries (lines).</param>
    /// <param name="TarBytes">Length of the tar stream it describes: segment bytes plus file sizes.</param>
    public sealed record Valid(long Entries, long TarBytes) : TarSplitState;

    /// <summary>Not gzip, truncated, or an entry that is not tar-split JSON.</summary>
    /// <param name="Reason">What is wrong, e.g. <c>gzip stream ends early</c> or <c>line 3: position 5, expected 2</c>.</param>
    public sealed record Invalid(string Reason) : TarSplitState;

    /// <summary>The file exists but could not be read (or is not a regular file).</summary>
    /// <param name="Reason">The error.</param>
    public sealed record Unreadable(string Reason) : TarSplitState;
}

/// <summary>One entry of a graph driver's folders, with what the checks need to know of it.</summary>
/// <param name="Name">The entry name.</param>
/// <param name="Type">Its type.</param>
public sealed record DriverEntry(string Name, EntryType Type);

/// <summary>An overlay2 (or fuse-overlayfs) per-ID folder's own metadata (layer-store.md §6.6).</summary>
/// <remarks>A value held inline in its <see cref="NameMap{T}"/> (a store of 100,000 layers has 120,000): the link text and
/// the lower file's names (or bytes) are its only fields, and <see cref="Lower"/> is wrapped when asked for.</remarks>
public readonly struct OverlayFolder : IEquatable<OverlayFolder>
{
    // The link text; null when there is no link file.
    private readonly string? link;
    // The lower file: the names of l/ it lists (string[]), any other content (byte[]), or null when there is no lower file.
    private readonly object? lower;

    /// <summary>A folder's metadata.</summary>
    /// <param name="Link">Text of <c>&lt;id&gt;/link</c> (UTF-8, invalid bytes as U+FFFD), if present; the instance of the
    /// <c>l/</c> listing's name when it names one.</param>
    /// <param name="Lower"><c>&lt;id&gt;/lower</c>, if present.</param>
    public OverlayFolder(Option<string> Link, Option<LowerFile> Lower)
    {
        link = Link.TrySome(out var text) ? text : null;
        lower = Lower.TrySome(out var file) ? file switch { LowerFile.ShortLinks s => s.Names, LowerFile.Other o => o.Bytes, _ => null } : null;
    }

    /// <summary>Text of <c>&lt;id&gt;/link</c> (UTF-8, invalid bytes as U+FFFD), if present; the instance of the
    /// <c>l/</c> listing's name when it names one.</summary>
    public Option<string> Link => link is null ? Option<string>.None : link;

    /// <summary><c>&lt;id&gt;/lower</c>, if present.</summary>
    public Option<LowerFile> Lower => lower switch
    {
        string[] names => new LowerFile.ShortLinks(names),
        byte[] bytes => new LowerFile.Other(bytes),
        _ => Option<LowerFile>.None,
    };

    /// <summary>The names of <c>l/</c> its <c>lower</c> lists when it is the usual <c>l/&lt;name&gt;:…</c>
    /// (<see cref="LowerFile.ShortLinks"/>), without wrapping them; None otherwise.</summary>
    public Option<string[]> LowerShortLinks => lower is string[] names ? names : Option<string[]>.None;

    /// <summary>A folder's metadata from the bytes of its files, sharing names with the <c>l/</c> listing.</summary>
    /// <param name="link">Bytes of <c>link</c>, if present.</param>
    /// <param name="lower">Bytes of <c>lower</c>, if present.</param>
    /// <param name="shortLinkNames">The names <c>l/</c> holds.</param>
    public static OverlayFolder Of(Option<byte[]> link, Option<byte[]> lower, ShortLinkNames shortLinkNames) =>
        new(link.Map(shortLinkNames.Decode), lower.Map(bytes => LowerFile.Of(bytes, shortLinkNames)));

    /// <summary>Equal when the link texts and the lower files are.</summary>
    /// <param name="other">Another folder.</param>
    public bool Equals(OverlayFolder other) => Link == other.Link && Lower == other.Lower;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OverlayFolder other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(link, lower is string[] n ? n.Length : lower is byte[] b ? -b.Length : 0);

    /// <summary>Equal when the link texts and the lower files are.</summary>
    /// <param name="left">A folder.</param>
    /// <param name="right">Another folder.</param>
    public static bool operator ==(OverlayFolder left, OverlayFolder right) => left.Equals(right);

    /// <summary>Not equal.</summary>
    /// <param name="left">A folder.</param>
    /// <param name="right">Another folder.</param>
    public static bool operator !=(OverlayFolder left, OverlayFolder right) => !left.Equals(right);
}

/// <summary>
/// The names of overlay2's <c>l/</c> folder, read before the ID folders so that their <c>link</c> and <c>lower</c> files
/// keep these instances instead of their own bytes (a store of 100,000 layers held 21 MB of such bytes).
/// Read-only once made, so safe to use from several reading threads.
/// </summary>
public sealed class ShortLinkNames
{
    private readonly System.Collections.Generic.HashSet<string> names;
    private readonly System.Collections.Generic.HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    /// <summary>The names of an <c>l/</c> listing.</summary>
    /// <param name="names">Entry names.</param>
    public ShortLinkNames(IEnumerable<string> names)
    {
        this.names = new System.Collections.Generic.HashSet<string>(names, StringComparer.Ordinal);
        lookup = this.names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>No <c>l/</c> folder, or a driver without one.</summary>
    public static ShortLinkNames None { get; } = new([]);

    /// <summary>The listing's instance of <paramref name="name"/>, if it holds it.</summary>
    /// <param name="name">A name.</param>
    /// <param name="known">The listing's instance.</param>
    public bool TryGet(ReadOnlySpan<char> name, out string known) => lookup.TryGetValue(name, out known!);

    /// <summary>UTF-8 bytes as text (invalid bytes as U+FFFD, as <see cref="System.Text.Encoding.UTF8"/> decodes), the
    /// listing's instance when it holds that name.</summary>
    /// <param name="bytes">A file's bytes.</param>
    public string Decode(byte[] bytes) => KnownNames.Decode(bytes, lookup);
}

/// <summary>overlay2's <c>&lt;id&gt;/lower</c> file: the usual <c>l/&lt;name&gt;:l/&lt;name&gt;…</c> kept as the names of
/// <c>l/</c> it lists, anything else as its bytes.</summary>
public abstract record LowerFile
{
    private LowerFile() { }

    /// <summary>ASCII text that is exactly <c>l/&lt;name&gt;</c> entries joined by <c>:</c>, each name one that <c>l/</c>
    /// holds (the listing's instances), in file order.</summary>
    /// <param name="Names">The names, in file order; never empty.</param>
    public sealed record ShortLinks(string[] Names) : LowerFile
    {
        /// <summary>Equal when the names are, in order.</summary>
        /// <param name="other">Another lower file.</param>
        public bool Equals(ShortLinks? other) => other is not null && Names.AsSpan().SequenceEqual(other.Names);

        /// <inheritdoc/>
        public override int GetHashCode() => Names.Length;
    }

    /// <summary>Any other content, as read.</summary>
    /// <param name="Bytes">The file's bytes.</param>
    public sealed record Other(byte[] Bytes) : LowerFile
    {
        /// <summary>Equal when the bytes are.</summary>
        /// <param name="other">Another lower file.</param>
        public bool Equals(Other? other) => other is not null && Bytes.AsSpan().SequenceEqual(other.Bytes);

        /// <inheritdoc/>
        public override int GetHashCode() => Bytes.Length;
    }

    /// <summary>The longest lower file kept as names: 128 layers of 29 bytes, overlay2's limit, fit well below it.</summary>
    private const int LongestAsNames = 8192;

    /// <summary>A lower file from its bytes.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="shortLinkNames">The names <c>l/</c> holds.</param>
    public static LowerFile Of(byte[] bytes, ShortLinkNames shortLinkNames)
    {
        if (bytes.Length == 0 || bytes.Length > LongestAsNames || !System.Text.Ascii.IsValid(bytes)) return new Other(bytes);
        Span<char> text = stackalloc char[bytes.Length];
        System.Text.Ascii.ToUtf16(bytes, text, out _);
        // One array of the exact size: a lower file of n entries has n - 1 colons.
        var names = new string[((ReadOnlySpan<char>)text).Count(':') + 1];
        var at = 0;
        foreach (var range in ((ReadOnlySpan<char>)text).Split(':'))
        {
            var entry = text[range];
            if (!entry.StartsWith("l/", StringComparison.Ordinal) || !shortLinkNames.TryGet(entry[2..], out var name)) return new Other(bytes);
            names[at++] = name;
        }
        return new ShortLinks(names);
    }
}

/// <summary>One <c>l/&lt;name&gt;</c> short link of overlay2.</summary>
/// <remarks>A value held inline in its <see cref="NameMap{T}"/>. The usual link, <c>../&lt;id&gt;/diff</c> into a folder of
/// the driver home, holds only that folder's name (shared with the home's listing); its text is built when asked for. A
/// store of 100,000 layers has 100,000 of them.</remarks>
public readonly struct OverlayShortLink : IEquatable<OverlayShortLink>
{
    // The folder of "../<folder>/diff" when isDiffOf, the link text otherwise.
    private readonly string text;
    private readonly bool isDiffOf;

    /// <summary>A short link with any target.</summary>
    /// <param name="Target">The link text, e.g. <c>../3f…/diff</c>.</param>
    /// <param name="TargetExists">Whether it leads to something.</param>
    public OverlayShortLink(string Target, bool TargetExists) => (text, this.TargetExists) = (Target, TargetExists);

    private OverlayShortLink(bool targetExists, string folder) => (text, isDiffOf, TargetExists) = (folder, true, targetExists);

    /// <summary>The link <c>../&lt;folder&gt;/diff</c>.</summary>
    /// <param name="folder">A folder name of the driver home.</param>
    /// <param name="targetExists">Whether it leads to something.</param>
    public static OverlayShortLink ToDiffOf(string folder, bool targetExists) => new(targetExists, folder);

    /// <summary>The link text, e.g. <c>../3f…/diff</c>.</summary>
    public string Target => isDiffOf ? "../" + text + "/diff" : text ?? "";

    /// <summary>Whether it leads to something.</summary>
    public bool TargetExists { get; }

    /// <summary>Whether the link text starts <c>../</c> (out of <c>l/</c>, into the driver home).</summary>
    public bool TargetLeavesLinkFolder => isDiffOf || Target.StartsWith("../", StringComparison.Ordinal);

    /// <summary>The second <c>/</c>-separated part of the link text: the driver folder of <c>../&lt;folder&gt;/diff</c>; the
    /// rest of the text when it has one <c>/</c>, empty when it has none. Built without the link text for the usual link.</summary>
    public string TargetFolder
    {
        get
        {
            if (isDiffOf) return text;
            var target = Target;
            var first = target.IndexOf('/', StringComparison.Ordinal);
            if (first < 0) return "";
            var second = target.IndexOf('/', first + 1);
            return second < 0 ? target[(first + 1)..] : target[(first + 1)..second];
        }
    }

    /// <summary>
    /// Whether the link's text is exactly <c>../&lt;folder&gt;/diff</c> (as overlay2 writes it), without building that text.
    /// </summary>
    /// <param name="folder">A folder name under the driver's home.</param>
    public bool IsDiffOf(string folder)
    {
        if (isDiffOf) return string.Equals(text, folder, StringComparison.Ordinal);
        var t = Target.AsSpan();
        return t.Length == folder.Length + 8 && t.StartsWith("../") && t.EndsWith("/diff") && t[3..^5].SequenceEqual(folder);
    }

    /// <summary>The folder when the link's text is <c>../&lt;folder&gt;/diff</c> with a folder holding no '/'; none otherwise.</summary>
    public Option<string> DiffFolder
    {
        get
        {
            if (isDiffOf) return text;
            var folder = TargetFolder;
            return IsDiffOf(folder) ? folder : Option<string>.None;
        }
    }

    /// <summary>Links are equal when their texts and existence are.</summary>
    /// <param name="other">Another link.</param>
    public bool Equals(OverlayShortLink other) => Target == other.Target && TargetExists == other.TargetExists;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OverlayShortLink other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Target, TargetExists);

    /// <summary>Links are equal when their texts and existence are.</summary>
    /// <param name="left">A link.</param>
    /// <param name="right">Another link.</param>
    public static bool operator ==(OverlayShortLink left, OverlayShortLink right) => left.Equals(right);

    /// <summary>Not equal.</summary>
    /// <param name="left">A link.</param>
    /// <param name="right">Another link.</param>
    public static bool operator !=(OverlayShortLink left, OverlayShortLink right) => !left.Equals(right);
}

/// <summary>
/// The chosen graph driver's home as the offline checks need it: the listings of the folders that
/// hold per-ID entries (the home itself for overlay2, <c>diff/</c>, <c>layers/</c>, <c>mnt/</c> for aufs,
/// <c>dir/</c> for vfs, …) and, for overlay2, each ID folder's <c>link</c>/<c>lower</c> and the <c>l/</c> links.
/// </summary>
/// <param name="Driver">The driver name.</param>
/// <param name="Home">Listing of <c>&lt;root&gt;/&lt;driver&gt;</c>.</param>
/// <param name="IdFolders">Listings of the sub-folders that hold IDs, by sub-folder name (<c>""</c> = the home).</param>
/// <param name="Overlay">overlay2/fuse-overlayfs: per ID folder name, its link and lower files (sorted by name).</param>
/// <param name="ShortLinks">overlay2/fuse-overlayfs: the entries of <c>l/</c>, by name (sorted by name).</param>
public sealed record DriverHomeSnapshot(
    DriverName Driver,
    DirectoryListing Home,
    HashMap<string, DirectoryListing> IdFolders,
    NameMap<OverlayFolder> Overlay,
    NameMap<OverlayShortLink> ShortLinks)
{
    /// <summary>A driver home that was not read (or does not exist).</summary>
    /// <param name="driver">The driver name.</param>
    public static DriverHomeSnapshot Absent(DriverName driver) => new(driver, new DirectoryListing.Absent(), default, default, default);
}

/// <summary>One image config file of <c>imagedb/content/sha256/</c>.</summary>
/// <param name="Name">The file name (the image ID's hex, if valid).</param>
/// <param name="Content">Its bytes, or why there are none.</param>
public sealed record ImageConfigFile(string Name, RawFile Content);

/// <summary>One <c>containers/&lt;id&gt;/</c> folder: its <c>config.v2.json</c> and <c>hostconfig.json</c>.</summary>
/// <param name="Id">The folder name.</param>
/// <param name="Config">The <c>config.v2.json</c> file, or absent (None) when the folder has none.</param>
public sealed record ContainerConfigFile(MountName Id, Option<RawFile> Config)
{
    /// <summary>The <c>hostconfig.json</c> file, or absent (None): moby then starts from an empty host config.</summary>
    public Option<RawFile> HostConfig { get; init; }
}

/// <summary>
/// Everything beyond the layerdb load that the checks read: leftovers under the layerdb, tar-split
/// state, the driver home, image configs and container configs. A plain value.
/// </summary>
/// <param name="Tmp">Listing of <c>layerdb/tmp</c>.</param>
/// <param name="Leftovers">Folders moby never lists, by path relative to the layerdb
/// (<c>sha256/&lt;x&gt;-removing</c>, <c>tmp/write-set-*</c>), with their <c>cache-id</c> when present.</param>
/// <param name="TarSplits">State of <c>tar-split.json.gz</c> per layer (by the chain ID naming its folder), for folders that have one
/// (empty when tar-split verification was not asked for).</param>
/// <param name="TarSplitChecked">Whether tar-split files were read at all.</param>
/// <param name="DriverHome">The chosen driver's home.</param>
/// <param name="ImageConfigs">Image configs; None when <c>imagedb/content/sha256</c> is absent.</param>
/// <param name="Containers">Container folders; None when <c>containers/</c> is absent.</param>
/// <param name="BuildKitPresent">Whether <c>&lt;root&gt;/buildkit</c> exists (BuildKit keeps driver folders the layerdb never names).</param>
public sealed record RootSnapshot(
    DirectoryListing Tmp,
    HashMap<string, RawDirectory> Leftovers,
    ChainMap<TarSplitState> TarSplits,
    bool TarSplitChecked,
    DriverHomeSnapshot DriverHome,
    Option<Seq<ImageConfigFile>> ImageConfigs,
    Option<Seq<LayerFunctional.Diagnostics.ContainerFolderRead>> Containers,
    bool BuildKitPresent = false)
{
    /// <summary><c>image/&lt;driver&gt;/repositories.json</c>, the tag store (names of images); None when absent.</summary>
    public Option<RawFile> Repositories { get; init; }

    /// <summary>Nothing beyond the layerdb was read.</summary>
    /// <param name="driver">The driver name.</param>
    public static RootSnapshot Empty(DriverName driver) =>
        new(new DirectoryListing.Absent(), default, default, false, DriverHomeSnapshot.Absent(driver),
            Option<Seq<ImageConfigFile>>.None, Option<Seq<LayerFunctional.Diagnostics.ContainerFolderRead>>.None);
}
