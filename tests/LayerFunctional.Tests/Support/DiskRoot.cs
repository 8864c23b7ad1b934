using System.Text;

namespace LayerFunctional.Tests.Support;

/// <summary>Writes layerdb folders to disk for tests of the shell and the CLI.</summary>
public static class DiskRoot
{
    public static void WriteFile(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(content));
    }

    /// <summary>Writes one layer folder with diff, size, cache-id and (optionally) parent.</summary>
    public static void WriteLayer(string root, string driver, string chainHex, string diff, string size, string cacheId, string? parent)
    {
        var folder = $"image/{driver}/layerdb/sha256/{chainHex}";
        WriteFile(root, folder + "/diff", diff);
        WriteFile(root, folder + "/size", size);
        WriteFile(root, folder + "/cache-id", cacheId);
        if (parent is not null) WriteFile(root, folder + "/parent", parent);
    }
}
