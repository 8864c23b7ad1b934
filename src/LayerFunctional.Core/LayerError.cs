namespace LayerFunctional;

/// <summary>
/// Why one metadata file of a layer or mount folder fails moby's parse: a closed set of cases, each
/// naming the file relative to the docker root. The <see cref="Kind"/> is the report's problem kind.
/// </summary>
public abstract record LayerError
{
    private LayerError(string path, ProblemKind kind) => (Path, Kind) = (path, kind);

    /// <summary>Relative to the docker root, <c>/</c>-separated.</summary>
    public string Path { get; }

    /// <summary>The report's problem kind for this error.</summary>
    public ProblemKind Kind { get; }

    /// <summary>The layer folder has no entries at all.</summary>
    /// <param name="Path">The folder.</param>
    public sealed record FolderEmpty(string Path) : LayerError(Path, ProblemKind.LayerDirEmpty);

    /// <summary>No such layer folder: a parent link names a chain ID whose folder does not exist. The load settles
    /// it as a missing parent (the child's <see cref="ProblemKind.ParentLayerMissing"/>), never as a failure of its own.</summary>
    /// <param name="Path">The folder that is not there.</param>
    public sealed record FolderMissing(string Path) : LayerError(Path, ProblemKind.ParentLayerMissing);

    /// <summary>A required file is absent.</summary>
    /// <param name="Path">The file.</param>
    /// <param name="MissingKind">Which kind of missing file (diff, size, cache-id, mount-id).</param>
    public sealed record FileMissing(string Path, ProblemKind MissingKind) : LayerError(Path, MissingKind);

    /// <summary>A file exists but is not readable as a regular file.</summary>
    /// <param name="Path">The file.</param>
    /// <param name="UnreadableKind">entry_unreadable, not_a_regular_file or file_too_large.</param>
    /// <param name="Reason">What the shell saw.</param>
    public sealed record FileUnreadable(string Path, ProblemKind UnreadableKind, string Reason) : LayerError(Path, UnreadableKind);

    /// <summary>The content does not parse.</summary>
    /// <param name="Path">The file.</param>
    /// <param name="InvalidKind">The kind for this file (diff_id_invalid, size_invalid, …).</param>
    /// <param name="Quoted">The offending bytes, quoted and cut short.</param>
    /// <param name="Reason">moby's own error text, e.g. <c>invalid checksum digest format</c>.</param>
    public sealed record Malformed(string Path, ProblemKind InvalidKind, string Quoted, string Reason) : LayerError(Path, InvalidKind);
}
