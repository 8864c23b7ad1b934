using System.Buffers.Binary;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>
/// An OCI digest <c>algorithm:encoded</c> as opencontainers/go-digest validates it: the algorithm is
/// <c>sha256</c>, <c>sha384</c> or <c>sha512</c> (case-sensitive) and the encoded part is exactly twice the
/// hash size in hex. Lower-case hex only from moby 18.04; upper case accepted before (§2.1).
/// </summary>
/// <remarks>
/// Held as the 32 hash bytes (four 64-bit words, 56 bytes an instance) for a <c>sha256</c> digest in lower-case hex, the
/// only kind moby 18.04+ writes; text is built only when asked for (rendering, paths of findings). Any other digest (sha384,
/// sha512, upper-case hex of an old release) keeps its text as written, so it keeps its case (it names a different folder).
/// </remarks>
public readonly record struct Digest
{
    // The canonical form: sha256, lower-case hex, as four big-endian words (so word order is text order).
    private readonly ulong w0, w1, w2, w3;
    // The text of any other digest; null for the canonical form.
    private readonly string? text;

    private Digest(ReadOnlySpan<byte> sha256)
    {
        w0 = BinaryPrimitives.ReadUInt64BigEndian(sha256);
        w1 = BinaryPrimitives.ReadUInt64BigEndian(sha256[8..]);
        w2 = BinaryPrimitives.ReadUInt64BigEndian(sha256[16..]);
        w3 = BinaryPrimitives.ReadUInt64BigEndian(sha256[24..]);
    }

    private Digest(string text) => this.text = text;

    /// <summary>Whether this is a <c>sha256</c> digest in lower-case hex (held as bytes).</summary>
    public bool IsCanonicalSha256 => text is null;

    /// <summary><c>sha256</c>, <c>sha384</c> or <c>sha512</c>.</summary>
    public string Algorithm => text is null ? "sha256" : text.AsSpan(0, text.IndexOf(':')) switch { "sha256" => "sha256", "sha384" => "sha384", _ => "sha512" };

    /// <summary>The hex part: 64, 96 or 128 characters (built on each call for the canonical form).</summary>
    public string Encoded => text is null ? string.Create(64, this, static (dest, d) => d.WriteHex(dest)) : text[(text.IndexOf(':') + 1)..];

    /// <summary>The folder of this digest under a layerdb: <c>&lt;algorithm&gt;/&lt;encoded&gt;</c>
    /// (moby builds the path from the requested ChainID, so <c>sha512:</c> reads <c>sha512/…</c>).</summary>
    public string FolderKey => text is null
        ? string.Create(71, this, static (dest, d) => { "sha256/".CopyTo(dest); d.WriteHex(dest[7..]); })
        : string.Concat(text.AsSpan(0, text.IndexOf(':')), "/", text.AsSpan(text.IndexOf(':') + 1));

    /// <summary>
    /// <paramref name="before"/> + "/" + <see cref="FolderKey"/> + <paramref name="after"/> as one string, made in one step
    /// (a layer folder's path, or a file in it, without the folder key as a string of its own).
    /// </summary>
    /// <param name="before">The folder above, e.g. <c>image/overlay2/layerdb</c>.</param>
    /// <param name="after">What follows, e.g. <c>/cache-id</c>; empty for the folder itself.</param>
    public string FolderPath(string before, string after = "")
    {
        if (text is not null) return before + "/" + FolderKey + after;
        return string.Create(before.Length + 72 + after.Length, (this, before, after), static (dest, x) =>
        {
            x.before.CopyTo(dest);
            "/sha256/".CopyTo(dest[x.before.Length..]);
            x.Item1.WriteHex(dest.Slice(x.before.Length + 8, 64));
            x.after.CopyTo(dest[(x.before.Length + 72)..]);
        });
    }

    /// <summary>The first 12 hex characters, as docker prints short IDs.</summary>
    public string Short => text is null ? string.Create(12, this, static (dest, d) => { Span<char> hex = stackalloc char[64]; d.WriteHex(hex); hex[..12].CopyTo(dest); }) : Encoded[..12];

    /// <summary><c>algorithm:encoded</c>.</summary>
    public override string ToString() => text ?? string.Create(71, this, static (dest, d) => { "sha256:".CopyTo(dest); d.WriteHex(dest[7..]); });

    private void WriteHex(Span<char> dest)
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteBytes(bytes);
        Convert.TryToHexStringLower(bytes, dest, out _);
    }

    private void WriteBytes(Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt64BigEndian(dest, w0);
        BinaryPrimitives.WriteUInt64BigEndian(dest[8..], w1);
        BinaryPrimitives.WriteUInt64BigEndian(dest[16..], w2);
        BinaryPrimitives.WriteUInt64BigEndian(dest[24..], w3);
    }

    /// <summary>Writes <c>algorithm:encoded</c> as ASCII bytes (what chain-ID hashing feeds SHA-256).</summary>
    /// <param name="dest">At least <see cref="TextLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    public int WriteAscii(Span<byte> dest)
    {
        if (text is not null) return System.Text.Encoding.ASCII.GetBytes(text, dest);
        "sha256:"u8.CopyTo(dest);
        Span<byte> bytes = stackalloc byte[32];
        WriteBytes(bytes);
        Convert.TryToHexStringLower(bytes, dest[7..], out _);
        return 71;
    }

    /// <summary>Length of <c>algorithm:encoded</c> in characters.</summary>
    public int TextLength => text?.Length ?? 71;

    /// <summary>Whether this is the canonical <c>sha256</c> digest of exactly these 32 hash bytes.</summary>
    /// <param name="sha256">A SHA-256 hash.</param>
    public bool HasSha256(ReadOnlySpan<byte> sha256) =>
        text is null && w0 == BinaryPrimitives.ReadUInt64BigEndian(sha256) && w1 == BinaryPrimitives.ReadUInt64BigEndian(sha256[8..])
        && w2 == BinaryPrimitives.ReadUInt64BigEndian(sha256[16..]) && w3 == BinaryPrimitives.ReadUInt64BigEndian(sha256[24..]);

    /// <summary>Digests are equal when their text is (ordinal: case matters, as it does for folder names).</summary>
    /// <param name="other">Another digest.</param>
    public bool Equals(Digest other) =>
        text is null
            ? other.text is null && w0 == other.w0 && w1 == other.w1 && w2 == other.w2 && w3 == other.w3
            : string.Equals(text, other.text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => text is null ? HashCode.Combine(w0, w3) : StringComparer.Ordinal.GetHashCode(text);

    /// <summary>Orders digests as their texts compare ordinal (<see cref="string.CompareOrdinal(string, string)"/>), without building text
    /// for two canonical digests.</summary>
    /// <param name="a">A digest.</param>
    /// <param name="b">Another digest.</param>
    /// <returns>Negative, zero or positive, as <see cref="string.CompareOrdinal(string, string)"/> of the two texts.</returns>
    public static int CompareOrdinal(Digest a, Digest b)
    {
        if (a.text is null && b.text is null)
        {
            var c = a.w0.CompareTo(b.w0);
            if (c == 0) c = a.w1.CompareTo(b.w1);
            if (c == 0) c = a.w2.CompareTo(b.w2);
            if (c == 0) c = a.w3.CompareTo(b.w3);
            return c;
        }
        return Math.Sign(string.CompareOrdinal(a.ToString(), b.ToString()));
    }

    /// <summary>Orders by the hex part alone, ordinal (moby's <c>List</c> sorts folder names).</summary>
    /// <param name="a">A digest.</param>
    /// <param name="b">Another digest.</param>
    public static int CompareEncoded(Digest a, Digest b) =>
        a.text is null && b.text is null ? CompareOrdinal(a, b) : Math.Sign(string.CompareOrdinal(a.Encoded, b.Encoded));

    /// <summary>
    /// Parses a metadata file's content as moby does (Go's <c>strings.TrimSpace</c>, then go-digest <c>Parse</c>): the
    /// usual form, <c>sha256:</c> and 64 lower-case hex digits, straight from the bytes (no text is made); any other through
    /// its text with <see cref="Parse"/>, so the result and the error are the same either way.
    /// </summary>
    /// <param name="content">The file's bytes, untrimmed.</param>
    /// <param name="version">Rule set.</param>
    /// <returns>Right: the digest. Left: go-digest's error text.</returns>
    public static Either<string, Digest> ParseFile(ReadOnlySpan<byte> content, MobyVersion version)
    {
        var trimmed = Go.GoText.TrimSpace(content);
        if (trimmed.Length == 71 && trimmed.StartsWith("sha256:"u8) && System.Text.Ascii.IsValid(trimmed))
        {
            Span<char> hex = stackalloc char[64];
            System.Text.Ascii.ToUtf16(trimmed[7..], hex, out _);
            if (TryCanonicalHex(hex, out var digest)) return digest;
        }
        return Parse(System.Text.Encoding.UTF8.GetString(trimmed), version);
    }

    /// <summary>
    /// The canonical sha256 digest whose 64 lower-case hex digits are <paramref name="hex"/> (a layer folder's name), made
    /// without the text <c>sha256:&lt;hex&gt;</c>; false for anything else, which <see cref="Parse"/> then judges.
    /// </summary>
    /// <param name="hex">A name, e.g. an entry of <c>layerdb/sha256</c>.</param>
    /// <param name="digest">The digest when true.</param>
    public static bool TryCanonicalHex(ReadOnlySpan<char> hex, out Digest digest) => TryCanonicalHexOf(hex, out digest);

    /// <summary>As <see cref="TryCanonicalHex(ReadOnlySpan{char}, out Digest)"/>, for a name as UTF-8 bytes (a folder listing's
    /// entry, before any text is made of it).</summary>
    /// <param name="hex">The name's bytes.</param>
    /// <param name="digest">The digest when true.</param>
    public static bool TryCanonicalHex(ReadOnlySpan<byte> hex, out Digest digest) => TryCanonicalHexOf(hex, out digest);

    // One reading of 64 lower-case hex digits, as characters or as bytes.
    private static bool TryCanonicalHexOf<T>(ReadOnlySpan<T> hex, out Digest digest) where T : System.Numerics.IBinaryInteger<T>
    {
        digest = default;
        if (hex.Length != 64) return false;
        Span<byte> hash = stackalloc byte[32];
        for (var i = 0; i < 32; i++)
        {
            int hi = LowerHexValue(int.CreateTruncating(hex[2 * i])), lo = LowerHexValue(int.CreateTruncating(hex[2 * i + 1]));
            if ((hi | lo) < 0) return false;
            hash[i] = (byte)(hi << 4 | lo);
        }
        digest = new Digest(hash);
        return true;
    }

    private static int LowerHexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

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
        if (size != 32 || (version.AcceptsUpperCaseHex && encoded.ContainsAnyInRange('A', 'F'))) return new Digest(text);
        Span<byte> hash = stackalloc byte[32];
        Convert.FromHexString(encoded, hash, out _, out _);
        return new Digest(hash);
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
    public static Digest Sha256Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(bytes, hash);
        return new Digest(hash);
    }

    /// <summary>The canonical <c>sha256:</c> digest of a 32-byte hash.</summary>
    /// <param name="sha256">Exactly 32 bytes.</param>
    public static Digest FromSha256(ReadOnlySpan<byte> sha256) =>
        sha256.Length == 32 ? new Digest(sha256) : throw new ArgumentException("a SHA-256 hash has 32 bytes", nameof(sha256));
}
