namespace LayerFunctional;

/// <summary>
/// The name of a mount: the folder name under <c>layerdb/mounts/</c>, which is the ID of the container (or builder)
/// whose read-write layer it is. moby keys its mounts by it (<c>layerStore.mounts</c>, <c>GetRWLayer(id)</c> in
/// <c>layer/layer_store.go</c>), the daemon creates it as <c>container.ID</c>, and the folder under
/// <c>&lt;root&gt;/containers/</c> has the same name. Any text: moby lists the folders and never checks the name's
/// form, so it is no parse. Compared and ordered as ordinal text.
/// </summary>
/// <remarks>A string converts to a mount name implicitly (folder names read from disk and literals in tests); a mount
/// name becomes text only through <see cref="Value"/> or <see cref="ToString"/>, when a path is built or a report is
/// rendered.</remarks>
public readonly record struct MountName : IComparable<MountName>
{
    // Null only in the default value: it reads as "".
    private readonly string? value;

    /// <summary>A mount name.</summary>
    /// <param name="value">The folder name as listed (not trimmed: moby uses it as it is).</param>
    public MountName(string value) => this.value = value;

    /// <summary>The name as text.</summary>
    public string Value => value ?? "";

    /// <summary>The name as <c>docker ps</c> shows a container ID: its first 12 characters, or the whole name when it is
    /// shorter (moby <c>stringid.TruncateID</c>).</summary>
    public string Short => Value[..Math.Min(12, Value.Length)];

    /// <summary>A folder name as a mount name.</summary>
    /// <param name="value">The name.</param>
    public static implicit operator MountName(string value) => new(value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Ordinal order of the names (the order moby's callers see after sorting, and every report's).</summary>
    /// <param name="other">The other name.</param>
    public int CompareTo(MountName other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc/>
    public bool Equals(MountName other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}
