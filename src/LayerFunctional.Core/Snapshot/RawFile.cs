namespace LayerFunctional.Snapshot;

/// <summary>
/// What the shell found at one metadata path: the raw bytes (never decoded, never trimmed), or why
/// there are none. A file that is absent is simply not in its folder's map.
/// </summary>
public abstract record RawFile
{
    private RawFile() { }

    /// <summary>A regular file and its whole content.</summary>
    /// <param name="Bytes">The bytes as on disk; up to the shell's size cap.</param>
    public sealed record Content(byte[] Bytes) : RawFile;

    /// <summary>A regular file whose content was not needed (e.g. <c>tar-split.json.gz</c> at load).</summary>
    /// <param name="Length">Size in bytes.</param>
    public sealed record NotRead(long Length) : RawFile;

    /// <summary>The entry exists but could not be read (permission, I/O error, vanished).</summary>
    /// <param name="Reason">The operating system's message.</param>
    public sealed record Unreadable(string Reason) : RawFile;

    /// <summary>The entry is a folder, FIFO, socket or device: never opened for reading.</summary>
    /// <param name="Type">What it is, e.g. <c>directory</c>, <c>fifo</c>.</param>
    public sealed record NotRegular(string Type) : RawFile;

    /// <summary>A symbolic link whose target lies outside the docker root: never followed.</summary>
    /// <param name="Target">Where it points.</param>
    public sealed record OutsideRoot(string Target) : RawFile;

    /// <summary>A file larger than the shell's cap for metadata: not loaded into memory.</summary>
    /// <param name="Length">Size in bytes.</param>
    public sealed record TooLarge(long Length) : RawFile;
}

/// <summary>Text about <see cref="RawFile"/> values.</summary>
public static class RawFiles
{
    /// <summary>Why a file that was not read as content has no bytes, e.g. <c>it is a fifo</c>.</summary>
    /// <param name="file">A file that is not <see cref="RawFile.Content"/>.</param>
    public static string Reason(RawFile file) => file switch
    {
        RawFile.Unreadable u => u.Reason,
        RawFile.NotRegular n => "it is a " + n.Type,
        RawFile.OutsideRoot o => "it is a symbolic link out of the docker root (" + o.Target + ")",
        RawFile.TooLarge t => $"{t.Length} bytes, over the cap",
        _ => "not read",
    };
}

/// <summary>How much of a layerdb metadata file the shell reads.</summary>
public static class MetadataLimits
{
    /// <summary>moby writes at most a few hundred bytes in any layer or mount file: a larger one (bytes) is reported as
    /// <c>file_too_large</c> (a warning: moby reads the whole file and judges its content like any other).</summary>
    public const int Usual = 64 * 1024;

    /// <summary>Files larger than this (bytes) are not read at all: <see cref="RawFile.TooLarge"/>, counted as a failure of
    /// their layer or mount (moby would still read and parse them).</summary>
    public const int ReadLimit = 16 * 1024 * 1024;
}
