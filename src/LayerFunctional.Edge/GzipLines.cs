using System.IO.Compression;

namespace LayerFunctional.Edge;

/// <summary>Streams a gzip-compressed file of newline-delimited lines (a <c>tar-split.json.gz</c>) line by line,
/// never holding more than one line; shared by the tar-split check and the content verification.</summary>
internal static class GzipLines
{
    /// <summary>The longest line accepted (a tar-split segment carries at most a few tar headers and padding).</summary>
    public const int MaxLine = 16 * 1024 * 1024;

    /// <summary>How a stream ended.</summary>
    public enum End
    {
        /// <summary>Every line was handed over (a last line without its newline too, as Go's json.Decoder takes it).</summary>
        Completed,
        /// <summary>The handler asked to stop.</summary>
        Stopped,
        /// <summary>A line longer than <see cref="MaxLine"/>.</summary>
        LineTooLong,
    }

    /// <summary>Receives one line without its newline; returns false to stop.</summary>
    public delegate bool LineHandler(ReadOnlySpan<byte> line);

    /// <summary>Decompresses <paramref name="compressed"/> and hands each line to <paramref name="onLine"/>.</summary>
    /// <exception cref="InvalidDataException">Not gzip.</exception>
    /// <exception cref="IOException">A truncated stream or a read error.</exception>
    public static End ForEach(Stream compressed, LineHandler onLine)
    {
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        var line = new MemoryStream();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            return Lines(gzip, buffer, line, onLine);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static End Lines(GZipStream gzip, byte[] buffer, MemoryStream line, LineHandler onLine)
    {
        int read;
        while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            int newline;
            while ((newline = buffer.AsSpan(start, read - start).IndexOf((byte)'\n')) >= 0)
            {
                var i = start + newline;
                // A line wholly inside the buffer is handed over in place; one that began in an earlier buffer is joined first.
                if (line.Length == 0)
                {
                    if (!onLine(buffer.AsSpan(start, i - start))) return End.Stopped;
                }
                else
                {
                    line.Write(buffer, start, i - start);
                    if (!onLine(line.GetBuffer().AsSpan(0, (int)line.Length))) return End.Stopped;
                    line.SetLength(0);
                }
                start = i + 1;
            }
            line.Write(buffer, start, read - start);
            if (line.Length > MaxLine) return End.LineTooLong;
        }
        if (line.Length > 0 && !onLine(line.GetBuffer().AsSpan(0, (int)line.Length))) return End.Stopped;
        return End.Completed;
    }
}
