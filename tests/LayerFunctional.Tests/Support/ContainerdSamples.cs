using System.IO.Compression;

namespace LayerFunctional.Tests.Support;

/// <summary>The bbolt files a real containerd wrote, committed gzipped in <c>Core/Containerd/Samples</c> (its README says how
/// each was made).</summary>
public static class ContainerdSamples
{
    private static readonly string Folder = Path.Combine(SharedData.RepoRoot, "tests", "LayerFunctional.Tests", "Core", "Containerd", "Samples");

    /// <summary>A sample's bytes, unzipped.</summary>
    /// <param name="name">The file name, e.g. <c>meta.db.gz</c>.</param>
    public static byte[] Read(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Folder, name)), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gz.CopyTo(bytes);
        return bytes.ToArray();
    }
}
