using LanguageExt;
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
            if (File.Exists(full)) return $"{directory} is a file";
            if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
                return $"{directory} is not empty: generate writes only into a new or empty folder";
            Directory.CreateDirectory(full);
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
}
