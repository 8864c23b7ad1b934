namespace LayerFunctional.Edge;

/// <summary>What a path is, telling "absent" apart from "cannot be looked at" (which
/// <see cref="Directory.Exists(string)"/> folds together as false). Symbolic links are followed, as Go's
/// <c>os.Stat</c> and <c>os.ReadDir</c> follow them for the folder itself.</summary>
public enum PathKind
{
    /// <summary>No such path (also a dangling symbolic link).</summary>
    Missing,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>Anything else that exists (regular file, FIFO, device, socket).</summary>
    NotADirectory,
    /// <summary>The path cannot be examined (permission denied, I/O error).</summary>
    Unreadable,
}

/// <summary>Classifies paths without opening them.</summary>
public static class PathProbe
{
    /// <summary>Classifies an absolute path.</summary>
    /// <param name="fullPath">Absolute path.</param>
    /// <returns>The kind, and the operating system's message when unreadable.</returns>
    public static (PathKind Kind, string Reason) Probe(string fullPath)
    {
        try
        {
            var attributes = File.GetAttributes(fullPath);
            return ((attributes & FileAttributes.Directory) != 0 ? PathKind.Directory : PathKind.NotADirectory, "");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (PathKind.Missing, "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (PathKind.Unreadable, e.Message);
        }
    }
}
