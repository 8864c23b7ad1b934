using System.Text.Json;
using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Snapshot;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// Checks the payload of <c>tar-split.json.gz</c> one line at a time, as vbatts/tar-split's
/// <c>storage.Entry</c> stream (layer-store.md §1.7): each line one JSON object with <c>type</c> 1 (file)
/// or 2 (segment), <c>position</c> counting from 0 by one, a base64 <c>payload</c> (segments: raw tar
/// bytes; files: an 8-byte CRC-64, or null for empty files), <c>name</c> or <c>name_raw</c> and a non-negative
/// <c>size</c> for files, and no file path twice (the unpacker's <c>ErrDuplicatePath</c>). Pure: the shell
/// decompresses and splits lines, this decides. Mutable only inside one validation.
/// </summary>
public sealed class TarSplitValidator
{
    private long expectedPosition;
    private long tarBytes;
    private string? error;
    private readonly System.Collections.Generic.HashSet<string> paths = new(StringComparer.Ordinal);

    /// <summary>Feeds one line (without its <c>\n</c>).</summary>
    /// <param name="line">The line's bytes.</param>
    /// <returns>False once an error was found (later lines are ignored).</returns>
    public bool Feed(ReadOnlySpan<byte> line)
    {
        if (error is not null) return false;
        var lineNumber = expectedPosition + 1;
        try
        {
            // Go's decoder turns invalid UTF-8 inside strings into U+FFFD; System.Text.Json would refuse the line.
            var bytes = line.ToArray();
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) bytes = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes));
            using var doc = JsonDocument.Parse(bytes);
            var e = doc.RootElement;
            // Go's decoder matches keys without regard to case.
            JsonElement Get(string key) => e.ValueKind == JsonValueKind.Object
                ? e.EnumerateObject().Where(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).LastOrDefault()
                : default;
            if (e.ValueKind != JsonValueKind.Object) return Fail($"line {lineNumber}: not a JSON object");
            var t = Int64Of(Get("type"));
            if (t is not (1 or 2))
                return Fail($"line {lineNumber}: type is not 1 (file) or 2 (segment)");
            var position = Int64Of(Get("position")) ?? -1;
            if (position != expectedPosition) return Fail($"line {lineNumber}: position {position}, expected {expectedPosition}");
            byte[]? payload = null;
            var pl = Get("payload");
            if (pl.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                if (pl.ValueKind != JsonValueKind.String || !pl.TryGetBytesFromBase64(out payload))
                    return Fail($"line {lineNumber}: payload is not base64");
            }
            if (t == 2)
            {
                tarBytes += payload?.Length ?? 0;
            }
            else
            {
                var s = Get("size");
                var size = s.ValueKind == JsonValueKind.Undefined ? 0 : Int64Of(s) ?? -1;
                if (size < 0) return Fail($"line {lineNumber}: size is not a non-negative integer");
                var n = Get("name");
                var name = n.ValueKind == JsonValueKind.String ? GoJsonString.Of(n) : RawName(Get("name_raw"));
                if (name is null) return Fail($"line {lineNumber}: file entry without a name");
                if (size > 0 && payload?.Length != 8) return Fail($"line {lineNumber}: file payload is not an 8-byte CRC-64");
                if (!paths.Add(CleanPath(name))) return Fail($"line {lineNumber}: duplicate path {name}");
                tarBytes += size;
            }
            expectedPosition++;
            return true;
        }
        catch (JsonException)
        {
            return Fail($"line {lineNumber}: not JSON");
        }
        catch (InvalidOperationException)
        {
            return Fail($"line {lineNumber}: not JSON");
        }
    }

    /// <summary>The verdict after the last line.</summary>
    /// <returns>Valid with counts, or Invalid with the first error.</returns>
    public TarSplitState Finish() =>
        error is not null ? new TarSplitState.Invalid(error)
        : expectedPosition == 0 ? new TarSplitState.Invalid("no entries")
        : new TarSplitState.Valid(expectedPosition, tarBytes);

    /// <summary>Records a stream-level failure (gzip error, truncation) found by the reader.</summary>
    /// <param name="reason">What went wrong.</param>
    public void StreamFailed(string reason) => error ??= reason;

    // A JSON integer that fits in an int64, else null (written without pattern or out variables in
    // conditions, so that every mutant of these conditions compiles).
    private static long? Int64Of(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number) return null;
        return e.TryGetInt64(out var v) ? v : null;
    }

    // name_raw: base64 bytes of a name that is not valid UTF-8; kept as base64 text to compare paths.
    private static string? RawName(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.String) return null;
        return e.TryGetBytesFromBase64(out var raw) ? Convert.ToBase64String(raw) : null;
    }

    private bool Fail(string reason)
    {
        error = reason;
        return false;
    }

    // Go's filepath.Clean for '/'-separated tar names: drop empty and "." parts, resolve "..".
    private static string CleanPath(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return (name.StartsWith('/') ? "/" : "") + string.Join('/', parts);
    }
}
