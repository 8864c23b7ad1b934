using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>
/// An OCI digest <c>algorithm:encoded</c> as opencontainers/go-digest validates it: the algorithm is
/// <c>sha256</c>, <c>sha384</c> or <c>sha512</c> (case-sensitive) and the encoded part is exactly twice the
/// hash size in hex. Lower-case hex only from moby 18.04; upper case accepted before (§2.1). The text is
/// kept as written, so an upper-case digest of an old release keeps its case (it names a different folder).
/// </summary>
public sealed record Digest
{
    // The text as parsed ("algorithm:encoded") is kept whole: ToString is free, and the parts and the folder key
    // are cut from it once, on first use (the loader asks for a layer's folder key many times).
    private readonly string text;
    private readonly int colon;
    private string? encoded;
    private string? folderKey;

    private Digest(string text, int colon) => (this.text, this.colon) = (text, colon);

    /// <summary><c>sha256</c>, <c>sha384</c> or <c>sha512</c>.</summary>
    public string Algorithm => text.AsSpan(0, colon) switch { "sha256" => "sha256", "sha384" => "sha384", _ => "sha512" };

    /// <summary>The hex part: 64, 96 or 128 characters.</summary>
    public string Encoded => encoded ??= text[(colon + 1)..];

    /// <summary>The folder of this digest under a layerdb: <c>&lt;algorithm&gt;/&lt;encoded&gt;</c>
    /// (moby builds the path from the requested ChainID, so <c>sha512:</c> reads <c>sha512/…</c>).</summary>
    public string FolderKey => folderKey ??= string.Concat(text.AsSpan(0, colon), "/", text.AsSpan(colon + 1));

    /// <summary><c>algorithm:encoded</c>.</summary>
    public override string ToString() => text;

    /// <summary>Digests are equal when their text is (ordinal: case matters, as it does for folder names).</summary>
    /// <param name="other">Another digest.</param>
    public bool Equals(Digest? other) => other is not null && string.Equals(text, other.text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(text);

    /// <summary>
    /// Validates already-trimmed text as go-digest's <c>Parse</c> does under the given moby release.
    /// </summary>
    /// <param name="text">The digest text (after Go's TrimSpace where moby trims).</param>
    /// <param name="version">Selects upper-case acceptance (before 18.04).</param>
    /// <returns>Right: the digest. Left: go-digest's error text (<c>invalid checksum digest format</c>,
    /// <c>unsupported digest algorithm</c> or <c>invalid checksum digest length</c>).</returns>
    public static Either<string, Digest> Parse(string text, MobyVersion version)
    {
        const string format = "invalid checksum digest format";
        var i = text.IndexOf(':', StringComparison.Ordinal);
        if (i <= 0 || i + 1 == text.Length) return format;
        var algorithm = text.AsSpan(0, i);
        var encoded = text.AsSpan(i + 1);
        var size = algorithm switch { "sha256" => 32, "sha384" => 48, "sha512" => 64, _ => 0 };
        if (size == 0)
            return LooksLikeDigest(text, version) ? "unsupported digest algorithm" : format;
        if (encoded.Length != size * 2) return "invalid checksum digest length";
        foreach (var c in encoded)
        {
            var ok = c is >= '0' and <= '9' or >= 'a' and <= 'f'
                     || (version.AcceptsUpperCaseHex && c is >= 'A' and <= 'F');
            if (!ok) return format;
        }
        return new Digest(text, i);
    }

    // go-digest's DigestRegexpAnchored decides "unsupported" versus "format" for unknown algorithms.
    private static bool LooksLikeDigest(string text, MobyVersion version)
    {
        var pattern = version.AcceptsUpperCaseHex
            ? @"^[a-zA-Z0-9\-_+.]+:[a-fA-F0-9]+\z"
            : @"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\z";
        return System.Text.RegularExpressions.Regex.IsMatch(text, pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }

    /// <summary>The <c>sha256:</c> digest of bytes, lower-case hex.</summary>
    /// <param name="bytes">Content to hash.</param>
    public static Digest Sha256Of(ReadOnlySpan<byte> bytes) =>
        new("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), 6);
}
