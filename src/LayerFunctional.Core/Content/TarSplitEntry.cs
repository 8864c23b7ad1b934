using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Content;

/// <summary>One decoded line of <c>tar-split.json.gz</c> (vbatts/tar-split <c>storage.Entry</c>, layer-store.md §1.7).</summary>
public abstract record TarSplitEntry
{
    private TarSplitEntry(long position) => Position = position;

    /// <summary>The entry's <c>position</c> (0-based, one more per line).</summary>
    public long Position { get; }

    /// <summary>A segment (<c>type</c> 2): raw tar bytes (headers, padding, end of archive) copied into the stream as they are.</summary>
    /// <param name="Position">The entry's position.</param>
    /// <param name="Payload">The raw bytes.</param>
    public sealed record Segment(long Position, byte[] Payload) : TarSplitEntry(Position);

    /// <summary>A file (<c>type</c> 1): its payload comes from the driver's content folder.</summary>
    /// <param name="Position">The entry's position.</param>
    /// <param name="Name">The name from the tar header (<c>name</c>, or <c>name_raw</c> decoded as UTF-8 with U+FFFD for undecodable bytes).</param>
    /// <param name="NameIsRaw">True when the name came from <c>name_raw</c> (not valid UTF-8: it cannot be opened by a .NET path).</param>
    /// <param name="Size">Payload length in bytes.</param>
    /// <param name="Crc">The payload's CRC-64/ISO (big-endian in the JSON); None when the payload is null (empty files).</param>
    public sealed record File(long Position, string Name, bool NameIsRaw, long Size, Option<ulong> Crc) : TarSplitEntry(Position);
}

/// <summary>
/// Decodes tar-split lines into <see cref="TarSplitEntry"/> values, as Go's <c>encoding/json</c> fills
/// <c>storage.Entry</c>: keys matched without regard to ASCII case, the last duplicate winning, unknown keys
/// ignored, invalid UTF-8 inside strings taken as U+FFFD. Pure.
/// </summary>
public static class TarSplitEntries
{
    /// <summary>Decodes one line (without its <c>\n</c>).</summary>
    /// <param name="line">The line's bytes.</param>
    /// <returns>Right: the entry. Left: why the line is not a tar-split entry.</returns>
    public static Either<string, TarSplitEntry> Decode(ReadOnlySpan<byte> line)
    {
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(line))
                return DecodeValid(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line)));
            return DecodeValid(line);
        }
        catch (JsonException)
        {
            return "not JSON";
        }
        catch (InvalidOperationException)
        {
            return "not JSON";
        }
        catch (FormatException)
        {
            return "a field has the wrong type";
        }
    }

    private static Either<string, TarSplitEntry> DecodeValid(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 10_000 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "not a JSON object";
        int? type = null;
        long? position = null;
        long size = 0;
        string? name = null;
        byte[]? nameRaw = null;
        byte[]? payload = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString() ?? "";
            if (!reader.Read()) return "not JSON";
            switch (key.ToLowerInvariant())
            {
                case "type":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var t)) return "type is not an integer";
                    type = t;
                    break;
                case "position":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var p)) return "position is not an integer";
                    position = p;
                    break;
                case "size":
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var s)) return "size is not an integer";
                    size = s;
                    break;
                case "name":
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.String) return "name is not a string";
                    name = reader.GetString();
                    break;
                case "name_raw":
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.String || !reader.TryGetBytesFromBase64(out var raw)) return "name_raw is not base64";
                    nameRaw = raw;
                    break;
                case "payload":
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        payload = null;
                        break;
                    }
                    if (reader.TokenType != JsonTokenType.String || !reader.TryGetBytesFromBase64(out var bytes)) return "payload is not base64";
                    payload = bytes;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) return "not a JSON object";
        if (position is not { } pos) return "no position";
        return type switch
        {
            2 => new TarSplitEntry.Segment(pos, payload ?? []),
            1 when size < 0 => "size is negative",
            1 when name is null && nameRaw is null => "file entry without a name",
            1 when size > 0 && payload?.Length != 8 => "file payload is not an 8-byte CRC-64",
            1 => new TarSplitEntry.File(pos, name ?? Encoding.UTF8.GetString(nameRaw!), name is null, size,
                payload is { Length: 8 } ? Some(BinaryPrimitives.ReadUInt64BigEndian(payload)) : None),
            _ => "type is not 1 (file) or 2 (segment)",
        };
    }
}
