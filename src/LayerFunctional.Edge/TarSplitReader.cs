using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;

namespace LayerFunctional.Edge;

/// <summary>Streams a <c>tar-split.json.gz</c> through gzip to the end, line by line, into the core's
/// <see cref="TarSplitValidator"/>; never holds the stream whole.</summary>
internal static class TarSplitReader
{
    public static TarSplitState Read(IRootFileSystem fs, string full, Func<string, bool> isInsideRoot, bool knownRegular = false)
    {
        var type = knownRegular ? FileType.Regular : fs.OfLink(full);
        if (type == FileType.Symlink)
        {
            if (!fs.RealPath(full).TrySome(out var real)) return new TarSplitState.Unreadable("dangling symbolic link or link loop");
            if (!isInsideRoot(real)) return new TarSplitState.Unreadable("symbolic link out of the docker root (not followed)");
            type = fs.OfTarget(full);
        }
        if (type != FileType.Regular) return new TarSplitState.Unreadable("not a regular file (" + FileTypes.Describe(type) + ")");
        var validator = new TarSplitValidator();
        try
        {
            using var file = fs.OpenRead(full);
            if (GzipLines.ForEach(file, line => validator.Feed(line)) == GzipLines.End.LineTooLong)
                validator.StreamFailed("a line longer than 16 MiB");
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
