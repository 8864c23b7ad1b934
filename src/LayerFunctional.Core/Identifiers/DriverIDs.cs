using LanguageExt;

namespace LayerFunctional;

/// <summary>
/// The graph-driver ID of a layer's content, read from <c>sha256/&lt;hex&gt;/cache-id</c>. Up to moby 18.05
/// it must be 64 lower-case hex with an optional <c>-init</c>; from 18.06 any text that is non-empty after
/// trimming (commit 9a0eb8d330), so <c>../../etc</c> loads (§2.2).
/// </summary>
public readonly record struct CacheID
{
    // Null only in the default value (no ID read): it reads as "".
    private readonly string? value;

    private CacheID(string value) => this.value = value;

    /// <summary>The trimmed text (invalid UTF-8 shown as U+FFFD).</summary>
    public string Value => value ?? "";

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Validates trimmed text as <c>GetCacheID</c> does under <paramref name="version"/>.</summary>
    /// <param name="text">Trimmed text.</param>
    /// <param name="version">Rule set.</param>
    /// <returns>Right: the cache ID. Left: <c>invalid cache id value</c>.</returns>
    public static Either<string, CacheID> Parse(string text, MobyVersion version) =>
        (version.CacheIdMustBeHex ? DriverIds.IsValidId(text) : text.Length > 0)
            ? new CacheID(text)
            : "invalid cache id value";
}

/// <summary>
/// The driver ID of a container's read-write layer, read from <c>mounts/&lt;name&gt;/mount-id</c>:
/// 64 lower-case hex, optionally followed by one <c>-init</c> (moby <c>isValidID</c>, §2.1).
/// </summary>
public readonly record struct MountID
{
    // Null only in the default value (no ID read): it reads as "".
    private readonly string? value;

    private MountID(string value) => this.value = value;

    /// <summary>The validated ID.</summary>
    public string Value => value ?? "";

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Validates trimmed text.</summary>
    /// <param name="text">Trimmed text.</param>
    /// <returns>Right: the mount ID. Left: <c>invalid mount id value</c>.</returns>
    public static Either<string, MountID> Parse(string text) =>
        DriverIds.IsValidId(text) ? new MountID(text) : "invalid mount id value";
}

/// <summary>
/// The driver ID of a container's init layer, read from <c>mounts/&lt;name&gt;/init-id</c>; normally
/// <c>&lt;mount-id&gt;-init</c>, but moby accepts any valid ID and never compares it with the mount ID.
/// </summary>
public readonly record struct InitID
{
    // Null only in the default value (no ID read): it reads as "".
    private readonly string? value;

    private InitID(string value) => this.value = value;

    /// <summary>The validated ID.</summary>
    public string Value => value ?? "";

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Validates trimmed text.</summary>
    /// <param name="text">Trimmed text.</param>
    /// <returns>Right: the init ID. Left: <c>invalid init id value</c>.</returns>
    public static Either<string, InitID> Parse(string text) =>
        DriverIds.IsValidId(text) ? new InitID(text) : "invalid init id value";
}

internal static class DriverIds
{
    /// <summary><c>^[a-f0-9]{64}(-init)?$</c> with Go's end-of-text <c>$</c>.</summary>
    public static bool IsValidId(string text)
    {
        if (text.Length != 64 && !(text.Length == 69 && text.EndsWith("-init", StringComparison.Ordinal))) return false;
        for (var i = 0; i < 64; i++)
            if (text[i] is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }
}
