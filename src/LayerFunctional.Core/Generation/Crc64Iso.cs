namespace LayerFunctional.Generation;

/// <summary>
/// CRC-64 with the ISO polynomial (Go's <c>hash/crc64</c> with <c>crc64.ISO</c>), which tar-split stores,
/// big-endian, as each file entry's payload (layer-store.md §1.7). <c>"hello\n"</c> gives
/// <c>614c3eeee2d81000</c>.
/// </summary>
public static class Crc64Iso
{
    private static readonly ulong[] Table = BuildTable();

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
        foreach (var b in data) crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes.</param>
    public static ulong Compute(ReadOnlySpan<byte> data) => Update(0, data);
}
