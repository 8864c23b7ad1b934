namespace LayerFunctional.Generation;

/// <summary>
/// CRC-64 with the ISO polynomial (Go's <c>hash/crc64</c> with <c>crc64.ISO</c>), which tar-split stores,
/// big-endian, as each file entry's payload (layer-store.md §1.7). <c>"hello\n"</c> gives
/// <c>614c3eeee2d81000</c>.
/// </summary>
public static class Crc64Iso
{
    private static readonly ulong[] Table = BuildTable();

    // Slicing-by-8: Slices[k][b] is the CRC of byte b followed by k zero bytes (k = 0 is Table).
    private static readonly ulong[][] Slices = BuildSlices();

    private static ulong[][] BuildSlices()
    {
        var slices = new ulong[8][];
        slices[0] = Table;
        for (var k = 1; k < 8; k++)
        {
            slices[k] = new ulong[256];
            for (var i = 0; i < 256; i++) slices[k][i] = (slices[k - 1][i] >> 8) ^ Table[(byte)slices[k - 1][i]];
        }
        return slices;
    }

    private static ulong[] BuildTable()
    {
        const ulong polynomial = 0xD800000000000000UL;   // reversed ISO 3309 polynomial
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ulong)i;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) == 1 ? (crc >> 1) ^ polynomial : crc >> 1;
            table[i] = crc;
        }
        return table;
    }

    /// <summary>Continues a checksum over more bytes (start with 0).</summary>
    /// <param name="crc">The checksum so far (0 for none).</param>
    /// <param name="data">The next bytes.</param>
    public static ulong Update(ulong crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        var t0 = Slices[0];
        var t1 = Slices[1];
        var t2 = Slices[2];
        var t3 = Slices[3];
        var t4 = Slices[4];
        var t5 = Slices[5];
        var t6 = Slices[6];
        var t7 = Slices[7];
        while (data.Length >= 8)
        {
            var v = crc ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data);
            crc = t7[(byte)v] ^ t6[(byte)(v >> 8)] ^ t5[(byte)(v >> 16)] ^ t4[(byte)(v >> 24)]
                  ^ t3[(byte)(v >> 32)] ^ t2[(byte)(v >> 40)] ^ t1[(byte)(v >> 48)] ^ t0[(byte)(v >> 56)];
            data = data[8..];
        }
        foreach (var b in data) crc = t0[(byte)(crc ^ b)] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes.</param>
    public static ulong Compute(ReadOnlySpan<byte> data) => Update(0, data);
}
