using System.IO.Compression;
using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;

namespace LayerFunctional.Edge;

/// <summary>Streams a <c>tar-split.json.gz</c> through gzip to the end, line by line, into the core's
/// <see cref="TarSplitValidator"/>; never holds the stream whole.</summary>
internal static class TarSplitReader
{
    /// <summary>The longest line accepted (a segment carries at most a few tar headers and padding).</summary>
    private const int MaxLine = 16 * 1024 * 1024;

    public static TarSplitState Read(IRootFileSystem fs, string full, Func<string, bool> isInsideRoot)
    {
        var type = fs.OfLink(full);
        if (type == FileType.Symlink)
        {
            var real = fs.RealPath(full).Case as string;
            if (real is null) return new TarSplitState.Unreadable("dangling symbolic link or link loop");
            if (!isInsideRoot(real)) return new TarSplitState.Unreadable("symbolic link out of the docker root (not followed)");
            type = fs.OfTarget(full);
        }
        if (type != FileType.Regular) return new TarSplitState.Unreadable("not a regular file (" + FileTypes.Describe(type) + ")");
        var validator = new TarSplitValidator();
        try
        {
            using var file = fs.OpenRead(full);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            var line = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    line.Write(buffer, start, i - start);
                    if (!validator.Feed(line.GetBuffer().AsSpan(0, (int)line.Length))) return validator.Finish();
                    line.SetLength(0);
                    start = i + 1;
                }
                line.Write(buffer, start, read - start);
                if (line.Length > MaxLine)
                {
                    validator.StreamFailed("a line longer than 16 MiB");
                    return validator.Finish();
                }
            }
            // Go's json.Decoder also takes a last entry without its newline.
            if (line.Length > 0) validator.Feed(line.GetBuffer().AsSpan(0, (int)line.Length));
            return validator.Finish();
        }
        catch (InvalidDataException e)
        {
            validator.StreamFailed("not a valid gzip stream: " + e.Message);
            return validator.Finish();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A truncated gzip member ends with an EndOfStream-like IOException.
            validator.StreamFailed("gzip stream cannot be read to the end: " + e.Message);
            return validator.Finish();
        }
    }
}
