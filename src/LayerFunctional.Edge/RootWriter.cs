using LanguageExt;
using static LanguageExt.Prelude;
using LayerFunctional.Generation;

namespace LayerFunctional.Edge;

/// <summary>Writes a <see cref="GeneratedRoot"/> to disk (the only place the tool ever writes, and only into
/// a folder that is new or empty).</summary>
public static class RootWriter
{
    /// <summary>Writes every entry under <paramref name="directory"/>.</summary>
    /// <param name="directory">A folder that does not exist yet, or is empty.</param>
    /// <param name="root">The generated root.</param>
    /// <returns>Right: the number of entries written. Left: why nothing was written.</returns>
    public static Either<string, int> Write(string directory, GeneratedRoot root)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            if (NotNewOrEmpty(directory, full, "generate writes").TrySome(out var refused)) return refused;
            foreach (var entry in root.Entries)
            {
                var path = Path.Combine(full, entry.Path);
                switch (entry)
                {
                    case GeneratedEntry.Folder:
                        Directory.CreateDirectory(path);
                        break;
                    case GeneratedEntry.File f:
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        File.WriteAllBytes(path, f.Bytes);
                        break;
                    case GeneratedEntry.Link l:
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        File.CreateSymbolicLink(path, l.Target);
                        break;
                }
            }
            return root.Entries.Count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {directory}: {e.Message}";
        }
    }

    /// <summary>Writes each image of a generated root as an OCI layout tar (<see cref="ImageArchive.OciLayout"/>) named
    /// <c>&lt;n&gt;.tar</c>, <c>n</c> its place in <see cref="GeneratedRoot.Images"/>, under its name
    /// <see cref="ImageArchive.NameOf"/>: for <c>ctr images import</c> or <c>docker load</c>.</summary>
    /// <param name="directory">A folder that does not exist yet, or is empty.</param>
    /// <param name="root">The generated root.</param>
    /// <returns>Right: each archive's path and image name, in image order. Left: why not all were written.</returns>
    public static Either<string, Seq<(string Path, string Name)>> WriteImageArchives(string directory, GeneratedRoot root)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            if (NotNewOrEmpty(directory, full, "archives are written").TrySome(out var refused)) return refused;
            var written = new List<(string, string)>();
            foreach (var (image, n) in root.Images.Select((image, n) => (image, n)))
            {
                var name = ImageArchive.NameOf(n);
                var archive = ImageArchive.OciLayout(root, image, name);
                if (!archive.TryRight(out var bytes)) return archive.Map(_ => LanguageExt.Seq<(string, string)>.Empty);
                var path = Path.Combine(full, n.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tar");
                File.WriteAllBytes(path, bytes);
                written.Add((path, name));
            }
            return written.ToSeq().Strict();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {directory}: {e.Message}";
        }
    }

    // Why a folder cannot be written into (a file, or not empty); otherwise it is made, and None.
    private static Option<string> NotNewOrEmpty(string directory, string full, string what)
    {
        if (File.Exists(full)) return $"{directory} is a file";
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            return $"{directory} is not empty: {what} only into a new or empty folder";
        Directory.CreateDirectory(full);
        return None;
    }
}
