using System.Text;
using System.Text.Json;
using LanguageExt;

namespace LayerFunctional.Go;

/// <summary>
/// The fields of docker/distribution's <c>Descriptor</c> that moby keeps in <c>descriptor.json</c>
/// (layer-store.md §1.5). All optional; the embedded digest is not validated at load.
/// </summary>
/// <remarks>Held compactly (a store of 100,000 pulled layers has 100,000): a digest written as <c>sha256:</c> and 64
/// lower-case hex characters is kept as its 32 bytes and its text made when asked for; the media type is the one shared
/// instance of a known layer media type; the URLs are one array. Equal when the four fields are.</remarks>
public sealed record LayerDescriptor
{
    private readonly string? mediaType;
    private readonly long size;
    private readonly bool hasSize;
    // The digest as bytes when its text is the canonical sha256 form; otherwise its text in digestText (null: no digest).
    private readonly bool hasCanonicalDigest;
    private readonly LayerFunctional.Digest canonicalDigest;
    private readonly string? digestText;
    private readonly string[]? urls;

    /// <summary>A descriptor.</summary>
    /// <param name="MediaType">The media type, if set.</param>
    /// <param name="Size">The blob size in bytes, if set.</param>
    /// <param name="Digest">The digest text as written, if set.</param>
    /// <param name="Urls">Foreign-layer URLs.</param>
    public LayerDescriptor(Option<string> MediaType, Option<long> Size, Option<string> Digest, Seq<string> Urls)
    {
        mediaType = MediaType.TrySome(out var m) ? m : null;
        hasSize = Size.TrySome(out size);
        if (Digest.TrySome(out var text))
        {
            if (text.Length == 71 && text.StartsWith("sha256:", StringComparison.Ordinal)
                && LayerFunctional.Digest.TryCanonicalHex(text.AsSpan(7), out var digest))
                (hasCanonicalDigest, canonicalDigest) = (true, digest);
            else digestText = text;
        }
        urls = Urls.IsEmpty ? null : Urls.ToArray();
    }

    /// <summary>The media type, if set.</summary>
    public Option<string> MediaType => Prelude.Optional(mediaType);

    /// <summary>The blob size in bytes, if set.</summary>
    public Option<long> Size => hasSize ? size : Option<long>.None;

    /// <summary>The digest text as written, if set.</summary>
    public Option<string> Digest => hasCanonicalDigest ? "sha256:" + canonicalDigest.Encoded : Prelude.Optional(digestText);

    /// <summary>Foreign-layer URLs.</summary>
    public Seq<string> Urls => urls is null ? Prelude.Empty : Prelude.toSeq(urls);

    /// <summary>The empty descriptor moby uses when <c>descriptor.json</c> is absent.</summary>
    public static LayerDescriptor Empty { get; } = new(default, default, default, default);

    /// <summary>Equal when the media type, size, digest text and URLs are.</summary>
    /// <param name="other">Another descriptor.</param>
    public bool Equals(LayerDescriptor? other) => other is not null && MediaType == other.MediaType && Size == other.Size
        && Digest == other.Digest && Urls == other.Urls;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(mediaType, size, hasCanonicalDigest ? canonicalDigest.GetHashCode() : digestText?.GetHashCode() ?? 0);
}

/// <summary>
/// Decodes <c>descriptor.json</c> with the acceptance of Go's <c>encoding/json</c> into moby's vendored
/// <c>Descriptor</c> (§1.5, measured with Go 1.19): keys match case-insensitively with Go's folding
/// (<c>ſ</c>→s, <c>K</c>→k), every duplicate key is decoded (a wrong type in any occurrence fails), unknown
/// keys are skipped, <c>null</c> is empty, nesting up to 10,000 levels decodes. Rejected: a BOM, an empty
/// file, a second top-level value, a top-level array, a float or string for <c>size</c>.
/// System.Text.Json's reader supplies the syntax only; the Go rules are applied here.
/// </summary>
public static class GoDescriptorJson
{
    /// <summary>Go's <c>encoding/json</c> nesting limit.</summary>
    public const int MaxDepth = 10_000;

    /// <summary>Decodes the raw bytes of <c>descriptor.json</c>.</summary>
    /// <param name="bytes">Untrimmed file content.</param>
    /// <param name="version">From 19.03 the struct also has <c>annotations</c> and <c>platform</c>.</param>
    /// <returns>Right: the descriptor. Left: why Go's decoder rejects it.</returns>
    public static Either<string, LayerDescriptor> Decode(ReadOnlySpan<byte> bytes, MobyVersion version)
    {
        if (bytes.StartsWith("\uFEFF"u8)) return "invalid character 'ï' looking for beginning of value";
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            MaxDepth = MaxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            AllowMultipleValues = false,
        });
        try
        {
            // On a final block the reader throws on empty or incomplete input, so the first Read always yields a token.
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                reader.Read();
                return LayerDescriptor.Empty;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
                return $"cannot unmarshal {GoKind(reader.TokenType)} into Go value of type distribution.Descriptor";
            Option<string> mediaType = default, digest = default;
            Option<long> size = default;
            var urls = new List<string>();
            string? error = null;
            var withPlatform = version.AtLeast(19, 3);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = FoldedKey(ref reader);
                reader.Read();
                string? e = key switch
                {
                    "mediatype" => ReadString(ref reader, v => mediaType = v.Map(SharedMediaType)),
                    "digest" => ReadString(ref reader, v => digest = v),
                    "size" => ReadInt64(ref reader, v => size = v),
                    "urls" => ReadStringArray(ref reader, urls),
                    "annotations" when withPlatform => ReadStringMap(ref reader),
                    "platform" when withPlatform => ReadPlatform(ref reader),
                    _ => Skip(ref reader),
                };
                error ??= e;
            }
            // Read past the end: a second value or stray bytes throw here.
            while (reader.Read()) { }
            return error is null
                ? new LayerDescriptor(mediaType, size, digest, urls.ToSeq().Strict())
                : error;
        }
        catch (InvalidOperationException ex)
        {
            return "invalid JSON: " + FirstSentence(ex.Message);
        }
        catch (JsonException ex)
        {
            return ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? "exceeded max depth"
                : "invalid JSON: " + FirstSentence(ex.Message);
        }
    }

    // The layer media types registries serve, one instance each: a store of 100,000 layers kept 25,000 copies of one.
    private static readonly string[] LayerMediaTypes =
    [
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd",
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    ];

    /// <summary>The shared instance of a known layer media type, or <paramref name="mediaType"/> itself.</summary>
    internal static string SharedMediaType(string mediaType) =>
        System.Array.Find(LayerMediaTypes, known => string.Equals(known, mediaType, StringComparison.Ordinal)) ?? mediaType;

    // Go's encoding/json folds keys with simple Unicode case folding: beyond ASCII only
    // U+017F (long s) and U+212A (Kelvin sign) fold onto the ASCII letters of these field names.
    /// <summary>The property name the reader is on, folded as encoding/json matches keys (<see cref="Fold"/>): an unescaped
    /// ASCII name (nearly every one) is lower-cased straight from its bytes, without the decoded copy.</summary>
    /// <param name="r">A reader on a <see cref="JsonTokenType.PropertyName"/>.</param>
    internal static string FoldedKey(ref Utf8JsonReader r)
    {
        var raw = r.ValueSpan;
        if (r.ValueIsEscaped || !System.Text.Ascii.IsValid(raw)) return Fold(GoString(ref r));
        // Stryker disable once all : equivalent mutants (where the buffer lives does not change the key)
        Span<char> folded = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        System.Text.Ascii.ToLower(raw, folded, out _);
        return new string(folded);
    }

    /// <summary>Whether the property name the reader is on folds to <paramref name="folded"/> (lower-case ASCII), as
    /// <see cref="FoldedKey"/> would say, without building the name for an unescaped ASCII one.</summary>
    /// <param name="r">A reader on a <see cref="JsonTokenType.PropertyName"/>.</param>
    /// <param name="folded">A folded key, e.g. <c>networkmode</c>.</param>
    internal static bool KeyFoldsTo(ref Utf8JsonReader r, string folded)
    {
        var raw = r.ValueSpan;
        if (r.ValueIsEscaped || !System.Text.Ascii.IsValid(raw)) return Fold(GoString(ref r)) == folded;
        return raw.Length == folded.Length && System.Text.Ascii.EqualsIgnoreCase(raw, folded);
    }

    internal static string Fold(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (var c in key)
            sb.Append(c switch
            {
                '\u017F' => 's',
                '\u212A' => 'k',
                >= 'A' and <= 'Z' => (char)(c + 32),
                _ => c,
            });
        return sb.ToString();
    }

    private delegate void Set<in T>(T value);

    internal static string GoString(ref Utf8JsonReader r) =>
        GoJsonString.Decode(r.ValueSpan.ToArray(), r.ValueIsEscaped);   // a reader over one span never has a value sequence

    private static string? ReadString(ref Utf8JsonReader r, Set<Option<string>> set)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.String: set(GoString(ref r)); return null;
            default: var e = TypeError(r.TokenType, "string"); Skip(ref r); return e;
        }
    }

    private static string? ReadInt64(ref Utf8JsonReader r, Set<Option<long>> set)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number:
                var span = r.ValueSpan.ToArray();
                var value = GoText.ParseInt64(span);
                if (value.IsSome)
                {
                    set(value);
                    return null;
                }
                return $"cannot unmarshal number {Encoding.ASCII.GetString(span)} into Go struct field Descriptor.size of type int64";
            default: var e = TypeError(r.TokenType, "int64"); Skip(ref r); return e;
        }
    }

    private static string? ReadStringArray(ref Utf8JsonReader r, List<string> into)
    {
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.StartArray) { var e = TypeError(r.TokenType, "[]string"); Skip(ref r); return e; }
        string? error = null;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType == JsonTokenType.String) into.Add(GoString(ref r));
            else if (r.TokenType != JsonTokenType.Null) { error ??= TypeError(r.TokenType, "string"); Skip(ref r); }
        }
        return error;
    }

    private static string? ReadStringMap(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.StartObject) { var e = TypeError(r.TokenType, "map[string]string"); Skip(ref r); return e; }
        string? error = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            r.Read();
            if (r.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) { error ??= TypeError(r.TokenType, "string"); Skip(ref r); }
        }
        return error;
    }

    private static string? ReadPlatform(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.StartObject) { var e = TypeError(r.TokenType, "v1.Platform"); Skip(ref r); return e; }
        string? error = null;
        var ignored = new List<string>();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = FoldedKey(ref r);
            r.Read();
            var e = key switch
            {
                "architecture" or "os" or "os.version" or "variant" => ReadString(ref r, _ => { }),
                "os.features" => ReadStringArray(ref r, ignored),
                _ => Skip(ref r),
            };
            error ??= e;
        }
        return error;
    }

    internal static string? Skip(ref Utf8JsonReader r)
    {
        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) r.Skip();
        return null;
    }

    internal static string TypeError(JsonTokenType token, string goType) =>
        $"cannot unmarshal {GoKind(token)} into Go struct field of type {goType}";

    internal static string GoKind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "bool",
        _ => "value",
    };

    internal static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
