using System.IO.Compression;
using System.Security.Cryptography;
using LanguageExt;
using LayerFunctional.Content;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Edge;

/// <summary>
/// Verifies one layer's files (<c>check --content</c>): streams its <c>tar-split.json.gz</c> through gzip line by
/// line, takes each file's payload from the driver's content folder and feeds the rebuilt tar stream to SHA-256,
/// never holding it whole. On a digest mismatch (or a file of the wrong length, missing or not regular) a second
/// pass computes each file's CRC-64 to name the first file that differs. Reads through <see cref="IRootFileSystem"/>
/// only: decides every path's type with <c>lstat</c> before opening it, follows no link inside the content folder
/// (and none out of the root to reach it), opens only regular files, writes nothing.
/// </summary>
internal sealed class ContentReader
{
    private const int BufferSize = 1024 * 1024;

    private readonly IRootFileSystem fs;
    private readonly Func<string, bool> isInsideRoot;
    private readonly Action<long> progress;

    /// <param name="fs">The root's file system.</param>
    /// <param name="isInsideRoot">Whether a path, once every link is resolved, lies inside the root.</param>
    /// <param name="progress">Called with every batch of tar bytes verified (from any thread).</param>
    public ContentReader(IRootFileSystem fs, Func<string, bool> isInsideRoot, Action<long> progress)
    {
        this.fs = fs;
        this.isInsideRoot = isInsideRoot;
        this.progress = progress;
    }

    /// <summary>Verifies the content of <paramref name="layers"/>, in parallel across layers (one per core); the
    /// verdicts come back in the order of <paramref name="layers"/> whatever the scheduling.</summary>
    /// <param name="reader">The root's reader (file system and root containment).</param>
    /// <param name="driver">The chosen driver.</param>
    /// <param name="layerDb">The layerdb snapshot (which layer folders list a tar-split).</param>
    /// <param name="root">The root snapshot (tar-split states, when they were read).</param>
    /// <param name="layers">The loaded layers to verify.</param>
    /// <param name="progress">Called with (bytes verified, bytes to verify) at most every 100 ms, and once at the end with both equal.</param>
    public static Seq<LayerContent> VerifyLayers(DockerRootReader reader, DriverName driver, LayerFunctional.Snapshot.LayerDbRead layerDb,
        LayerFunctional.Snapshot.RootSnapshot root, Seq<LayerFunctional.Graph.Layer> layers, Option<Action<long, long>> progress)
    {
        var layout = LayerFunctional.Drivers.DriverLayout.For(driver);
        var work = layers.Map(l =>
        {
            var key = l.ChainID.Digest.FolderKey;
            var present = layerDb.Layers.Find(l.ChainID).Exists(d => d.HasTarSplit);
            var state = root.TarSplits.Find(l.ChainID);
            var total = state.Bind(s => s is LayerFunctional.Snapshot.TarSplitState.Valid v ? Some(v.TarBytes) : None).IfNone(Math.Max(0, l.Size));
            return (Layer: l, Content: layout.ContentOf(l.CacheID.Value), Skip: ContentChecks.Precondition(driver, present, state), Total: total,
                TarSplit: Path.Combine(reader.FullRoot, layerDb.RelativePath, key, "tar-split.json.gz"));
        }).ToArray();
        var grandTotal = work.Filter(w => w.Skip.IsNone).Sum(w => w.Total);
        long done = 0;
        long lastReport = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Report(long bytes)
        {
            var now = Interlocked.Add(ref done, bytes);
            if (progress.IsNone) return;
            var ms = clock.ElapsedMilliseconds;
            var last = Interlocked.Read(ref lastReport);
            if (ms - last < 100 || Interlocked.CompareExchange(ref lastReport, ms, last) != last) return;
            progress.IfSome(p => p(now, grandTotal));
        }
        var verifier = new ContentReader(reader.FileSystem, reader.LeadsInsideRoot, Report);
        var verdicts = new ContentVerdict[work.Length];
        Parallel.For(0, work.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var w = work[i];
            verdicts[i] = w.Skip.TrySome(out var why)
                ? new ContentVerdict.NotVerified(why)
                : verifier.Verify(w.TarSplit, Path.Combine(reader.FullRoot, w.Content), w.Layer.DiffID, w.Layer.Size,
                    ContentRules.FolderIsDiffOnly(driver));
        });
        // The last call says "finished" (done = total), whatever the counts: a progress line can clear itself.
        progress.IfSome(p => p(grandTotal, grandTotal));
        return work.Select((w, i) => new LayerContent(w.Layer.ChainID, w.Content, verdicts[i])).ToSeq().Strict();
    }

    /// <summary>Verifies one layer.</summary>
    /// <param name="tarSplit">Absolute path of its <c>tar-split.json.gz</c>.</param>
    /// <param name="contentFull">Absolute path of its content folder.</param>
    /// <param name="diffId">Its diff ID.</param>
    /// <param name="recordedSize">Its <c>size</c>.</param>
    /// <param name="diffOnly">True when the folder holds only this layer's files (added files are looked for).</param>
    public ContentVerdict Verify(string tarSplit, string contentFull, DiffID diffId, long recordedSize, bool diffOnly)
    {
        switch (fs.OfTarget(contentFull))
        {
            case FileType.Directory: break;
            case FileType.Missing: return new ContentVerdict.NotVerified("the content folder does not exist");
            case var other: return new ContentVerdict.NotVerified("the content folder is not a folder (" + FileTypes.Describe(other) + ")");
        }
        if (!isInsideRoot(contentFull)) return new ContentVerdict.NotVerified("the content folder leads outside the docker root (not followed)");
        var tarSplitType = fs.OfLink(tarSplit);
        if (tarSplitType == FileType.Symlink && fs.RealPath(tarSplit).Exists(isInsideRoot)) tarSplitType = fs.OfTarget(tarSplit);
        if (tarSplitType != FileType.Regular) return new ContentVerdict.NotVerified("tar-split.json.gz is not a regular file inside the root");
        try
        {
            var files = new Files(fs, contentFull);
            var first = HashPass(tarSplit, files);
            if (first.Error is { } error) return new ContentVerdict.NotVerified(error);
            var difference = first.Anomaly || ContentRules.CompareDigest(diffId, first.Digest).IsSome
                ? FirstFileDifference(tarSplit, files).IfNone(() => first.Anomaly
                    ? new ContentDifference(DifferenceKind.Stream, None, "the tar stream cannot be rebuilt")
                    : ContentRules.CompareDigest(diffId, first.Digest).IfNone(() => throw new InvalidOperationException()))
                : diffOnly ? ContentRules.FirstAdded(files.RegularFilesUnder(), first.Listed)
                : Option<ContentDifference>.None;
            if (difference.IsNone) difference = ContentRules.CompareRecordedSize(recordedSize, first.FileBytes);
            return difference.Match<ContentVerdict>(d => new ContentVerdict.Differs(d), () => new ContentVerdict.Verified(first.TarBytes, first.FileEntries));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new ContentVerdict.NotVerified("read error: " + e.Message);
        }
    }

    private sealed record FirstPass(string Digest, long TarBytes, long FileBytes, long FileEntries, bool Anomaly,
        System.Collections.Generic.HashSet<string> Listed, string? Error);

    /// <summary>Pass 1: SHA-256 of the rebuilt stream. Stops at the first file that is missing, not regular or of
    /// the wrong length (an anomaly: pass 2 names it).</summary>
    private FirstPass HashPass(string tarSplit, Files files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var listed = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        long tarBytes = 0, fileBytes = 0, fileEntries = 0;
        var buffer = new byte[BufferSize];
        Option<byte> flag = None;
        string? unverifiable = null;
        var error = ForEachEntry(tarSplit, entry =>
        {
            switch (entry)
            {
                case TarSplitEntry.Segment s:
                    sha.AppendData(s.Payload);
                    tarBytes += s.Payload.Length;
                    flag = ContentRules.TypeFlag(s.Payload);
                    progress(s.Payload.Length);
                    return Next.Go;
                case TarSplitEntry.File f:
                    fileEntries++;
                    fileBytes += f.Size;
                    tarBytes += f.Size;
                    var rel = ContentRules.RelativePath(f.Name);
                    rel.IfSome(r => listed.Add(r));
                    if (f.Size == 0 && !rel.Exists(r => ContentRules.MustBeRegularFile(flag, r, 0))) return Next.Go;
                    if (f.NameIsRaw)
                    {
                        // A name that is not UTF-8 cannot be opened through a .NET path: say so rather than call it missing.
                        unverifiable = $"file {GoQuote(f.Name)} has a name that is not valid UTF-8 and cannot be opened by this tool";
                        return Next.Stop;
                    }
                    if (!rel.TrySome(out var path)) return Next.Anomaly;
                    if (files.TypeOf(path) != FileType.Regular) return Next.Anomaly;
                    using (var stream = fs.OpenRead(files.Full(path)))
                    {
                        if (stream.Length != f.Size) return Next.Anomaly;
                        var left = f.Size;
                        while (left > 0)
                        {
                            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                            if (read == 0) return Next.Anomaly;
                            sha.AppendData(buffer, 0, read);
                            left -= read;
                            progress(read);
                        }
                    }
                    return Next.Go;
                default:
                    return Next.Go;
            }
        }, out var anomaly);
        return new FirstPass(Convert.ToHexStringLower(sha.GetHashAndReset()), tarBytes, fileBytes, fileEntries, anomaly, listed, error ?? unverifiable);
    }

    /// <summary>Pass 2: the first file entry, in tar order, that is missing, not regular, of the wrong length or
    /// whose CRC-64 differs.</summary>
    private Option<ContentDifference> FirstFileDifference(string tarSplit, Files files)
    {
        var buffer = new byte[BufferSize];
        Option<byte> flag = None;
        Option<ContentDifference> found = None;
        ForEachEntry(tarSplit, entry =>
        {
            if (entry is TarSplitEntry.Segment s)
            {
                flag = ContentRules.TypeFlag(s.Payload);
                return Next.Go;
            }
            if (entry is not TarSplitEntry.File f) return Next.Go;
            var rel = ContentRules.RelativePath(f.Name);
            if (f.Size == 0 && !rel.Exists(r => ContentRules.MustBeRegularFile(flag, r, 0))) return Next.Go;
            if (f.NameIsRaw || !rel.TrySome(out var path))
            {
                found = new ContentDifference(DifferenceKind.FileMissing, None, $"file {GoQuote(f.Name)} cannot be opened inside the content folder");
                return Next.Stop;
            }
            var type = files.TypeOf(path);
            if (type != FileType.Regular)
            {
                found = type == FileType.Missing
                    ? new ContentDifference(DifferenceKind.FileMissing, path, $"{path} is missing from the folder")
                    : new ContentDifference(DifferenceKind.FileNotRegular, path, $"{path} is a {FileTypes.Describe(type)} in the folder, not a regular file");
                return Next.Stop;
            }
            long length = 0;
            ulong crc = 0;
            using (var stream = fs.OpenRead(files.Full(path)))
            {
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    length += read;
                    if (length <= f.Size) crc = Crc64Iso.Update(crc, buffer.AsSpan(0, read));
                    else if (length - read < f.Size) crc = Crc64Iso.Update(crc, buffer.AsSpan(0, (int)(f.Size - (length - read))));
                }
            }
            found = ContentRules.CompareFile(path, f.Size, f.Crc, length, f.Size > 0 ? Some(crc) : None);
            return found.IsSome ? Next.Stop : Next.Go;
        }, out _);
        return found;
    }

    private static string GoQuote(string s) => LayerFunctional.Go.GoText.Quote(s);

    private enum Next { Go, Stop, Anomaly }

    /// <summary>Streams the tar-split's entries to <paramref name="visit"/> until it says stop; returns an error when
    /// the stream is not a valid tar-split (positions must count from 0 by one).</summary>
    private string? ForEachEntry(string tarSplit, Func<TarSplitEntry, Next> visit, out bool anomaly)
    {
        anomaly = false;
        using var file = fs.OpenRead(tarSplit);
        long position = 0;
        string? error = null;
        var stop = Next.Go;
        var end = GzipLines.ForEach(file, bytes =>
        {
            var decoded = TarSplitEntries.Decode(bytes);
            if (!decoded.TryRight(out var entry))
            {
                error = $"tar-split line {position + 1}: {decoded.IfRight("")}";
                return false;
            }
            if (entry.Position != position)
            {
                error = $"tar-split line {position + 1}: position {entry.Position}, expected {position}";
                return false;
            }
            position++;
            stop = visit(entry);
            return stop == Next.Go;
        });
        if (error is not null) return error;
        if (end == GzipLines.End.Stopped)
        {
            anomaly = stop == Next.Anomaly;
            return null;
        }
        if (end == GzipLines.End.LineTooLong) return "tar-split: a line longer than 16 MiB";
        return position == 0 ? "tar-split has no entries" : null;
    }

    /// <summary>A layer's content folder: types decided without following any link below it, listings for the walk.</summary>
    private sealed class Files(IRootFileSystem fs, string root)
    {
        private readonly Dictionary<string, bool> folders = new(StringComparer.Ordinal);

        public string Full(string relative) => root + "/" + relative;

        /// <summary>The type of a member path; a path under anything that is not a real folder is missing.</summary>
        public FileType TypeOf(string relative)
        {
            var slash = relative.LastIndexOf('/');
            if (slash > 0 && !IsFolder(relative[..slash])) return FileType.Missing;
            return fs.OfLink(Full(relative));
        }

        private bool IsFolder(string relative)
        {
            if (folders.TryGetValue(relative, out var known)) return known;
            var slash = relative.LastIndexOf('/');
            var result = (slash <= 0 || IsFolder(relative[..slash])) && fs.OfLink(Full(relative)) == FileType.Directory;
            folders[relative] = result;
            return result;
        }

        /// <summary>Every regular file under the folder, relative paths, depth first in ordinal order; links not followed.</summary>
        public IEnumerable<string> RegularFilesUnder()
        {
            var stack = new Stack<string>();
            stack.Push("");
            while (stack.Count > 0)
            {
                var dir = stack.Pop();
                var names = fs.List(dir.Length == 0 ? root : Full(dir)).OrderBy(n => n, StringComparer.Ordinal).ToList();
                var subfolders = new List<string>();
                foreach (var name in names)
                {
                    var rel = dir.Length == 0 ? name : dir + "/" + name;
                    switch (fs.OfLink(Full(rel)))
                    {
                        case FileType.Regular: yield return rel; break;
                        case FileType.Directory: subfolders.Add(rel); break;
                    }
                }
                for (var i = subfolders.Count - 1; i >= 0; i--) stack.Push(subfolders[i]);
            }
        }
    }
}
