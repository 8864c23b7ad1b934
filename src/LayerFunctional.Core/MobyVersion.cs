using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>
/// A moby (dockerd) release, as <c>MAJOR.MINOR</c>, and the load and driver-choice rules that
/// release applies (layer-store.md §10, §6.1–§6.4). Versions are compared numerically; every rule is a
/// threshold taken from the commit that introduced it.
/// </summary>
public sealed record MobyVersion : IComparable<MobyVersion>
{
    private MobyVersion(int major, int minor) => (Major, Minor) = (major, minor);

    /// <summary>Major release number (17 to 29).</summary>
    public int Major { get; }

    /// <summary>Minor release number (for 17 and 18 the month, e.g. 6 for 17.06).</summary>
    public int Minor { get; }

    /// <summary>The newest rule set, moby 29.0 (master as read in layer-store.md), used by default.</summary>
    public static MobyVersion Default { get; } = new(29, 0);

    /// <summary>The releases whose rules are known, as said to users: every 17.06 to 29 release that exists (there was no 21 or
    /// 22), minor releases of 29 included (29.1, 29.3: their rules are 29.0's but for what <see cref="AtLeast"/> tells apart).</summary>
    public const string Covered = "17.06 to 29.x";

    /// <summary>The versions named in the documentation and tested one by one.</summary>
    public static Seq<MobyVersion> Known { get; } = Seq(
        new MobyVersion(17, 6), new MobyVersion(18, 6), new MobyVersion(20, 10), new MobyVersion(23, 0),
        new MobyVersion(24, 0), new MobyVersion(25, 0), new MobyVersion(28, 0), new MobyVersion(29, 0));

    /// <summary>
    /// Parses <c>17.06</c>, <c>v23.0</c>, <c>29</c> or <c>28.0.2</c> (the patch part is ignored: no rule
    /// here changes within a minor release). Accepts releases 17.06 to 29.x that exist (there was no 21 or 22).
    /// </summary>
    /// <param name="text">The version as typed by a user.</param>
    /// <returns>Right: the version. Left: a message naming the accepted forms.</returns>
    public static Either<string, MobyVersion> Parse(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("Docker version ", StringComparison.Ordinal)) t = t["Docker version ".Length..].Split(',')[0];   // dockerd --version
        if (t.StartsWith('v') || t.StartsWith('V')) t = t[1..];
        // Release suffixes name the same rules: 17.06.2-ce, 29.0.0-rc.1, 20.10.24+dfsg1, 24.0.7-0ubuntu4.
        var suffix = t.IndexOfAny(['-', '+']);
        if (suffix > 0) t = t[..suffix];
        var parts = t.Split('.');
        if (parts.Length is < 1 or > 3
            || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
            return Left<string, MobyVersion>($"moby version '{text}' is not MAJOR[.MINOR[.PATCH]][-SUFFIX] (e.g. 29.0, 20.10.5, 17.06.2-ce)");
        var minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        var v = new MobyVersion(major, minor);
        var known = string.Join(", ", Known.Map(k => k.ToString()));
        if (major is < 17 or 21 or 22 or > 29 || (major == 17 && minor < 6) || minor > 12)
            return Left<string, MobyVersion>($"moby version '{text}' is outside the releases covered ({Covered}; e.g. {known})");
        return Right<string, MobyVersion>(v);
    }

    /// <summary>True when this release is <paramref name="major"/>.<paramref name="minor"/> or later.</summary>
    /// <param name="major">Major release.</param>
    /// <param name="minor">Minor release.</param>
    public bool AtLeast(int major, int minor = 0) => Major > major || (Major == major && Minor >= minor);

    /// <summary>go-digest before v1.0.0-rc1 (moby up to 18.03) accepts upper-case hex (§2.1).</summary>
    public bool AcceptsUpperCaseHex => !AtLeast(18, 4);

    /// <summary>Up to 18.05 cache-id must match <c>^[a-f0-9]{64}(-init)?$</c>; from 18.06 it only has to be
    /// non-empty after trimming (commit 9a0eb8d330).</summary>
    public bool CacheIdMustBeHex => !AtLeast(18, 6);

    /// <summary>From 17.12 an empty driver home does not count as prior state (commit 1262c57714).</summary>
    public bool IgnoresEmptyPriorDirs => AtLeast(17, 12);

    /// <summary>Before 18.03 an image whose top layer does not load stops the daemon; later the image is skipped.</summary>
    public bool MissingImageLayerIsFatal => !AtLeast(18, 3);

    /// <summary>Linux graph drivers linked into dockerd's default build (§6.1), in name order.</summary>
    public Seq<DriverName> RegisteredDrivers =>
        AtLeast(25) ? Names("btrfs", "fuse-overlayfs", "overlay2", "vfs", "zfs")
        : AtLeast(24) ? Names("btrfs", "devicemapper", "fuse-overlayfs", "overlay2", "vfs", "zfs")
        : AtLeast(20, 10) ? Names("aufs", "btrfs", "devicemapper", "fuse-overlayfs", "overlay", "overlay2", "vfs", "zfs")
        : Names("aufs", "btrfs", "devicemapper", "overlay", "overlay2", "vfs", "zfs");

    /// <summary>The Linux priority list of <c>daemon/graphdriver/driver_linux.go</c> (§6.3).</summary>
    public Seq<DriverName> DriverPriority =>
        AtLeast(25) ? Names("overlay2", "fuse-overlayfs", "btrfs", "zfs", "vfs")
        : AtLeast(24) ? Names("overlay2", "fuse-overlayfs", "btrfs", "zfs", "devicemapper", "vfs")
        : AtLeast(23) ? Names("overlay2", "fuse-overlayfs", "btrfs", "zfs", "aufs", "overlay", "devicemapper", "vfs")
        : AtLeast(20, 10) ? Names("btrfs", "zfs", "overlay2", "fuse-overlayfs", "aufs", "overlay", "devicemapper", "vfs")
        : AtLeast(17, 9) ? Names("btrfs", "zfs", "overlay2", "aufs", "overlay", "devicemapper", "vfs")
        : Names("aufs", "btrfs", "zfs", "overlay2", "overlay", "devicemapper", "vfs");

    /// <summary>Drivers whose prior state is refused unless named explicitly: 23 (aufs, devicemapper,
    /// overlay) and 24 (devicemapper) (§6.2 step 3, §6.4).</summary>
    public Seq<DriverName> DeprecatedPriorIsError =>
        AtLeast(25) ? Empty : AtLeast(24) ? Names("devicemapper") : AtLeast(23) ? Names("aufs", "devicemapper", "overlay") : Empty;

    /// <summary>Drivers skipped by automatic selection: 19.03 to 23 (aufs, devicemapper, overlay), 24 (devicemapper).</summary>
    public Seq<DriverName> DeprecatedSkippedInAuto =>
        AtLeast(25) ? Empty : AtLeast(24) ? Names("devicemapper") : AtLeast(19, 3) ? Names("aufs", "devicemapper", "overlay") : Empty;

    /// <summary>Drivers that <c>checkRemoved</c> refuses even when named explicitly: 24 (aufs, overlay), 25+
    /// (aufs, devicemapper, overlay).</summary>
    public Seq<DriverName> RemovedDrivers =>
        AtLeast(25) ? Names("aufs", "devicemapper", "overlay") : AtLeast(24) ? Names("aufs", "overlay") : Empty;

    private static Seq<DriverName> Names(params DriverName[] names) => toSeq(names);

    /// <inheritdoc/>
    public int CompareTo(MobyVersion? other) =>
        other is null ? 1 : Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>As moby names its releases: <c>17.06</c>, <c>19.03</c>, <c>20.10</c> (year.month up to 20.10),
    /// then <c>23.0</c>, <c>29.0</c>.</summary>
    public override string ToString() =>
        Major <= 20 ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor:00}")
                    : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
