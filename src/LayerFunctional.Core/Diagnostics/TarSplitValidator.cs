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
            var valid = System.Text.Unicode.Utf8.IsValid(line)
                ? line
                : System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(line));
            // One pass with a reader, no document: Go's decoder keeps the last of keys that match without regard to case.
            var reader = new Utf8JsonReader(valid);
            if (!reader.Read()) return Fail($"line {lineNumber}: not JSON");
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return reader.Read() ? Fail($"line {lineNumber}: not JSON") : Fail($"line {lineNumber}: not a JSON object");
            }
            var entry = new EntryFields();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = KeyOf(ref reader);
                reader.Read();
                entry.Take(key, ref reader);
                reader.Skip();   // an object or array value of any key
            }
            if (reader.Read()) return Fail($"line {lineNumber}: not JSON");
            var t = entry.Type;
            if (t is not (1 or 2))
                return Fail($"line {lineNumber}: type is not 1 (file) or 2 (segment)");
            var position = entry.Position ?? -1;
            if (position != expectedPosition) return Fail($"line {lineNumber}: position {position}, expected {expectedPosition}");
            if (entry.PayloadInvalid) return Fail($"line {lineNumber}: payload is not base64");
            if (t == 2)
            {
                tarBytes += entry.PayloadLength;
            }
            else
            {
                var size = entry.SizePresent ? entry.Size ?? -1 : 0;
                if (size < 0) return Fail($"line {lineNumber}: size is not a non-negative integer");
                var name = entry.Name ?? entry.NameRaw;
                if (name is null) return Fail($"line {lineNumber}: file entry without a name");
                if (size > 0 && entry.PayloadLength != 8) return Fail($"line {lineNumber}: file payload is not an 8-byte CRC-64");
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

    private enum Key { Other, Type, Position, Payload, Size, Name, NameRaw }

    private static readonly (string Name, Key Key)[] Keys =
        [("type", Key.Type), ("position", Key.Position), ("payload", Key.Payload), ("size", Key.Size), ("name", Key.Name), ("name_raw", Key.NameRaw)];

    // Compared as strings with OrdinalIgnoreCase, like the decoded property names always were; an unescaped ASCII
    // name (every name tar-split writes) is compared in place without making a string.
    private static Key KeyOf(ref Utf8JsonReader reader)
    {
        // Stryker disable once all : equivalent mutants of a fast path (the GetString path below gives the same key)
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= 8 && System.Text.Ascii.IsValid(reader.ValueSpan))
        {
            foreach (var (name, key) in Keys)
                if (System.Text.Ascii.EqualsIgnoreCase(reader.ValueSpan, name)) return key;
            return Key.Other;
        }
        var text = reader.GetString();
        foreach (var (name, key) in Keys)
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase)) return key;
        return Key.Other;
    }

    /// <summary>The fields of one entry line, each from the last key that names it.</summary>
    private struct EntryFields
    {
        public long? Type;
        public long? Position;
        public bool SizePresent;
        public long? Size;
        public bool PayloadInvalid;
        public int PayloadLength;
        public string? Name;
        public string? NameRaw;

        public void Take(Key key, ref Utf8JsonReader value)
        {
            switch (key)
            {
                case Key.Type: Type = Int64Of(ref value); break;
                case Key.Position: Position = Int64Of(ref value); break;
                case Key.Size: SizePresent = true; Size = Int64Of(ref value); break;
                case Key.Payload:
                    PayloadLength = 0;
                    PayloadInvalid = false;
                    if (value.TokenType == JsonTokenType.Null) break;
                    var length = value.TokenType == JsonTokenType.String ? Base64Length(ref value) : -1;
                    if (length < 0) PayloadInvalid = true;
                    else PayloadLength = length;
                    break;
                case Key.Name:
                    Name = value.TokenType == JsonTokenType.String ? GoJsonString.Decode(value.ValueSpan.ToArray(), value.ValueIsEscaped) : null;
                    break;
                case Key.NameRaw:
                    // name_raw: base64 bytes of a name that is not valid UTF-8; kept as base64 text to compare paths.
                    NameRaw = value.TokenType == JsonTokenType.String && value.TryGetBytesFromBase64(out var raw) ? Convert.ToBase64String(raw) : null;
                    break;
            }
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

    // The decoded length of a base64 string value, or -1 when it is not valid base64 (the test of System.Text.Json's
    // TryGetBytesFromBase64: Base64.DecodeFromUtf8 must consume it all), decoded into a pooled buffer, not a new array.
    private static int Base64Length(ref Utf8JsonReader value)
    {
        if (value.ValueIsEscaped) return value.TryGetBytesFromBase64(out var unescaped) ? unescaped.Length : -1;
        var text = value.ValueSpan;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(text.Length));
        try
        {
            var status = System.Buffers.Text.Base64.DecodeFromUtf8(text, buffer, out var consumed, out var written);
            return status == System.Buffers.OperationStatus.Done && consumed == text.Length ? written : -1;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A JSON integer that fits in an int64, else null (written without pattern or out variables in
    // conditions, so that every mutant of these conditions compiles).
    private static long? Int64Of(ref Utf8JsonReader value)
    {
        if (value.TokenType != JsonTokenType.Number) return null;
        return value.TryGetInt64(out var v) ? v : null;
    }

    private bool Fail(string reason)
    {
        error = reason;
        return false;
    }

    // Go's filepath.Clean for '/'-separated tar names: drop empty and "." parts, resolve "..".
    private static string CleanPath(string name)
    {
        if (IsClean(name)) return name;
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return (name.StartsWith('/') ? "/" : "") + string.Join('/', parts);
    }

    // Already clean (the usual case): no empty, "." or ".." part after an optional leading '/', and not empty.
    // A fast path only: CleanPath gives the same answer without it, so its mutants are equivalent.
    // Stryker disable all : equivalent mutants of a fast path (CleanPath computes the same result without it)
    private static bool IsClean(string name)
    {
        var rest = name.AsSpan(name.StartsWith('/') ? 1 : 0);
        if (rest.IsEmpty) return name.Length == 1;
        foreach (var range in rest.Split('/'))
        {
            var part = rest[range];
            if (part.IsEmpty || part is "." or "..") return false;
        }
        return true;
    }
    // Stryker restore all
}
