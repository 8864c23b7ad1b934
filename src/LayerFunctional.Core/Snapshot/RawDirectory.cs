using LanguageExt;

namespace LayerFunctional.Snapshot;

/// <summary>
/// One layer or mount folder as read by the shell: which entries it holds and the bytes of the
/// metadata files the rules need. A folder that a parent link names but that does not exist is
/// <see cref="Missing"/>.
/// </summary>
public abstract record RawDirectory
{
    private RawDirectory() { }

    /// <summary>The bytes of file <paramref name="name"/> when the folder is present and the file was read whole;
    /// None when the folder or file is absent, unreadable or not a regular file.</summary>
    /// <param name="name">A file name.</param>
    public Option<byte[]> ContentOf(string name) => this is Present p ? p.Files.ContentOf(name) : Prelude.None;

    /// <summary>As <see cref="FolderFileMap.IdTextOf"/>, for a folder that may not be present.</summary>
    /// <param name="name">A file name.</param>
    public Option<string> IdTextOf(string name) => this is Present p ? p.Files.IdTextOf(name) : Prelude.None;

    /// <summary>No such folder.</summary>
    public sealed record Missing : RawDirectory;

    /// <summary>The path exists but could not be listed, or is not a folder.</summary>
    /// <param name="Reason">The error.</param>
    public sealed record Unreadable(string Reason) : RawDirectory;

    /// <summary>A symbolic link to a folder outside the docker root: never followed.</summary>
    /// <param name="Target">Where it points.</param>
    public sealed record OutsideRoot(string Target) : RawDirectory;

    /// <summary>A readable folder.</summary>
    /// <param name="EntryNames">Every entry name in it (also ones not read), in any order.</param>
    /// <param name="Files">Files the core asked for, by name; a name absent here was absent on disk.</param>
    public sealed record Present(Seq<string> EntryNames, FolderFileMap Files) : RawDirectory;
}
