using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LanguageExt;

namespace LayerFunctional.Generation;

/// <summary>One entry of a generated layer: a folder (no content) or a regular file.</summary>
/// <param name="Path">Relative path, <c>/</c>-separated, folders ending in <c>/</c>; at most 100 bytes.</param>
/// <param name="Content">File content; None for a folder.</param>
public sealed record TarMember(string Path, Option<byte[]> Content);

/// <summary>A layer's uncompressed tar stream and the tar-split entries that rebuild it.</summary>
/// <param name="Tar">The tar bytes (Go archive/tar layout: 512-byte ustar headers, payload padded to
/// 512 bytes, two zero blocks at the end, no record padding).</param>
/// <param name="TarSplitJson">The tar-split payload: one JSON entry per line (§1.7).</param>
/// <param name="DiffID">sha256 of <see cref="Tar"/>.</param>
/// <param name="Size">Sum of the file sizes (moby's DiffSize for the layer).</param>
public sealed record LayerTarball(byte[] Tar, byte[] TarSplitJson, DiffID DiffID, long Size)
{
    /// <summary>The gzip-compressed tar-split, as stored in <c>tar-split.json.gz</c>.</summary>
    public byte[] TarSplitGzip()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(TarSplitJson);
        return buffer.ToArray();
    }
}

/// <summary>
/// Builds a layer's tar stream and its tar-split entries together, as vbatts/tar-split's disassembler
/// records a stream: a segment entry with the header (preceded by the previous file's padding), a file
/// entry with name, size and CRC-64 (null payload when empty), and finally the padding plus end-of-archive
/// bytes and an empty segment. Pure and deterministic (fixed mtime, mode and owner).
/// </summary>
public static class LayerTar
{
    /// <summary>The mtime written in every header (2023-11-14T22:13:20Z).</summary>
    public const long MTime = 1_700_000_000;

    /// <summary>Builds the tar and tar-split for members in the given order.</summary>
    /// <param name="members">Folders and files, parents before children.</param>
    public static LayerTarball Build(Seq<TarMember> members)
    {
        using var tar = new MemoryStream();
        using var split = new MemoryStream();
        var position = 0;
        var pending = Array.Empty<byte>();
        long size = 0;
        foreach (var m in members)
        {
            var content = m.Content.IfNone([]);
            var header = Header(m.Path, content.Length, m.Content.IsNone);
            WriteEntry(split, 2, null, 0, Concat(pending, header), position++);
            tar.Write(header);
            ulong? crc = m.Content.IsSome && content.Length > 0 ? Crc64Iso.Compute(content) : null;
            var crcBytes = new byte[8];
            if (crc is { } c) BinaryPrimitives.WriteUInt64BigEndian(crcBytes, c);
            WriteEntry(split, 1, m.Path, content.Length, crc is null ? null : crcBytes, position++);
            tar.Write(content);
            size += content.Length;
            pending = new byte[(512 - content.Length % 512) % 512];
            tar.Write(pending);
        }
        var end = new byte[1024];
        tar.Write(end);
        WriteEntry(split, 2, null, 0, Concat(pending, end), position++);
        WriteEntry(split, 2, null, 0, [], position);
        var bytes = tar.ToArray();
        return new LayerTarball(bytes, split.ToArray(), DiffID.FromDigest(Digest.Sha256Of(bytes)), size);
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    // storage.Entry: type, name (omitempty), size (omitempty), payload (always), position.
    private static void WriteEntry(MemoryStream split, int type, string? name, long size, byte[]? payload, int position)
    {
        using (var w = new Utf8JsonWriter(split))
        {
            w.WriteStartObject();
            w.WriteNumber("type", type);
            if (name is not null) w.WriteString("name", name);
            if (size != 0) w.WriteNumber("size", size);
            if (payload is null) w.WriteNull("payload");
            else w.WriteBase64String("payload", payload);
            w.WriteNumber("position", position);
            w.WriteEndObject();
        }
        split.WriteByte((byte)'\n');
    }

    private static byte[] Header(string path, long size, bool folder)
    {
        var h = new byte[512];
        void Put(int offset, int length, string text) => Encoding.ASCII.GetBytes(text).AsSpan(0, Math.Min(length, text.Length)).CopyTo(h.AsSpan(offset));
        string Octal(long value, int digits) => Convert.ToString(value, 8).PadLeft(digits, '0');
        var name = Encoding.UTF8.GetBytes(path);
        if (name.Length > 100) throw new ArgumentException("tar member names over 100 bytes are not generated", nameof(path));
        name.CopyTo(h, 0);
        Put(100, 8, Octal(folder ? 493 : 420, 7));     // 0755 / 0644
        Put(108, 8, Octal(0, 7));
        Put(116, 8, Octal(0, 7));
        Put(124, 12, Octal(size, 11));
        Put(136, 12, Octal(MTime, 11));
        h[156] = folder ? (byte)'5' : (byte)'0';
        Put(257, 6, "ustar");
        Put(263, 2, "00");
        for (var i = 148; i < 156; i++) h[i] = (byte)' ';
        var sum = h.Sum(b => (long)b);
        Put(148, 8, Octal(sum, 6));
        h[154] = 0;
        h[155] = (byte)' ';
        return h;
    }
}
