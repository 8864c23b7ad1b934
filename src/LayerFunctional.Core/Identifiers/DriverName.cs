namespace LayerFunctional;

/// <summary>
/// The name of a graph driver: <c>overlay2</c>, <c>vfs</c>, … as dockerd registers it (<c>graphdriver.Register</c> in
/// <c>daemon/graphdriver/*/</c>), names it with <c>--storage-driver</c> or <c>storage-driver</c> in <c>daemon.json</c>,
/// and keeps its state under: the folder <c>&lt;root&gt;/&lt;name&gt;</c> (the driver's home) and the folder
/// <c>&lt;root&gt;/image/&lt;name&gt;</c> (its layerdb). Also the <c>Driver</c> field of a container's <c>config.v2.json</c>.
/// Any text: moby checks a name only against its registry of drivers (<see cref="MobyVersion.RegisteredDrivers"/>), and
/// a name that is no driver is the daemon's error, not a parse error. Compared and ordered as ordinal text.
/// </summary>
/// <remarks>A string converts to a driver name implicitly (names in code and tests are literals such as
/// <c>"overlay2"</c>); a driver name becomes text only through <see cref="Value"/> or <see cref="ToString"/>, when a path
/// is built or a report is rendered.</remarks>
public readonly record struct DriverName : IComparable<DriverName>
{
    // Null only in the default value: it reads as "".
    private readonly string? value;

    /// <summary>A driver name.</summary>
    /// <param name="value">The name as written (not trimmed or lower-cased: moby compares names as they are).</param>
    public DriverName(string value) => this.value = value;

    /// <summary>The name as text.</summary>
    public string Value => value ?? "";

    /// <summary><c>overlay2</c>, the first driver of every covered release's priority list.</summary>
    public static DriverName Overlay2 { get; } = new("overlay2");

    /// <summary><c>vfs</c>: never prior state (moby's <c>scanPriorDrivers</c> skips it).</summary>
    public static DriverName Vfs { get; } = new("vfs");

    /// <summary>A name as text (code and tests write names as literals).</summary>
    /// <param name="value">The name.</param>
    public static implicit operator DriverName(string value) => new(value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Ordinal order of the names.</summary>
    /// <param name="other">The other name.</param>
    public int CompareTo(DriverName other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc/>
    public bool Equals(DriverName other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}
