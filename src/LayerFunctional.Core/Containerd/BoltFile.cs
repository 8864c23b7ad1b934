using System.Buffers.Binary;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Containerd;

/// <summary>Why a bbolt file, or a part of it, cannot be read. Every fault of the bytes is one of these, never an exception.</summary>
public abstract record BoltError
{
    private BoltError() { }

    /// <summary>Neither meta page (pages 0 and 1) is valid: bad magic, version or checksum, or the file is too short.</summary>
    /// <param name="Why">What was wrong with each.</param>
    public sealed record NoValidMeta(string Why) : BoltError;

    /// <summary>A page ID that points past the file or past the meta page's high-water mark.</summary>
    /// <param name="Page">The page ID.</param>
    /// <param name="Reached">What pointed at it (e.g. <c>branch element 3 of page 7</c>).</param>
    public sealed record PageOutOfRange(ulong Page, string Reached) : BoltError;

    /// <summary>A page whose header or elements do not fit: wrong flags for its place, an element or key outside the page.</summary>
    /// <param name="Page">The page ID (0 for an inline bucket's page).</param>
    /// <param name="Why">What does not fit.</param>
    public sealed record BadPage(ulong Page, string Why) : BoltError;

    /// <summary>A page reached twice in one bucket's tree (a loop between branch pages), or a tree deeper than
    /// <see cref="BoltFile.MaxDepth"/>.</summary>
    /// <param name="Page">The page reached again.</param>
    public sealed record Cycle(ulong Page) : BoltError;

    /// <summary>The fault as a plain sentence fragment, e.g. <c>page 3: the root of two buckets (…)</c>, for a finding's data.</summary>
    public string Text => this switch
    {
        NoValidMeta n => "no valid meta page (" + n.Why + ")",
        PageOutOfRange r => $"page {r.Page}, named by {r.Reached}, is past the file or its high-water mark",
        BadPage { Page: 0 } b => "an inline bucket's page: " + b.Why,
        BadPage b => $"page {b.Page}: {b.Why}",
        Cycle c => $"page {c.Page} is reached twice in one bucket's tree, or the tree is deeper than {BoltFile.MaxDepth} levels",
        _ => GetType().Name,
    };
}

/// <summary>The meta page a bbolt file is read through (bbolt <c>db.go</c> <c>meta</c>): the valid one of pages 0 and 1
/// with the higher transaction ID.</summary>
/// <param name="Page">0 or 1.</param>
/// <param name="PageSize">Bytes a page.</param>
/// <param name="RootPage">The root bucket's page.</param>
/// <param name="FreelistPage">The freelist's page.</param>
/// <param name="HighWater">The first page ID past the data (<c>pgid</c>).</param>
/// <param name="TxId">The transaction ID.</param>
public sealed record BoltMeta(int Page, int PageSize, ulong RootPage, ulong FreelistPage, ulong HighWater, ulong TxId);

/// <summary>A bucket of a bbolt file: its root page, or (an inline bucket) its own bytes holding one leaf page.</summary>
public sealed record BoltBucket
{
    internal BoltBucket(ulong rootPage, ReadOnlyMemory<byte> inline) => (RootPage, Inline) = (rootPage, inline);

    /// <summary>The page the bucket's tree starts at; 0 for an inline bucket.</summary>
    public ulong RootPage { get; }

    /// <summary>An inline bucket's page (header and elements); empty for a bucket with its own pages.</summary>
    public ReadOnlyMemory<byte> Inline { get; }
}

/// <summary>One key of a bucket: a value, or a nested bucket.</summary>
/// <param name="Key">The key bytes.</param>
/// <param name="Value">The value bytes (for a bucket: its 16-byte header and any inline page).</param>
/// <param name="Bucket">The nested bucket when the key names one.</param>
public sealed record BoltEntry(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, Option<BoltBucket> Bucket)
{
    /// <summary>The key as text (UTF-8; containerd's keys are text).</summary>
    public string Name => System.Text.Encoding.UTF8.GetString(Key.Span);
}

/// <summary>
/// A bbolt database (go.etcd.io/bbolt, the store of containerd's <c>meta.db</c> and the snapshotters' <c>metadata.db</c>)
/// read from its bytes, read-only: the meta page, then buckets and keys through branch and leaf pages, inline buckets and
/// overflow pages. No I/O: bytes in, typed entries or a <see cref="BoltError"/> out; every offset is checked against the page
/// it is in and every page against the file, and a bucket's tree is walked with a set of the pages seen, so damage gives an
/// error, never an exception, a hang or a read outside the bytes. Across reads it remembers which bucket each page and each
/// bucket root belongs to (bbolt never shares them): in a damaged file whose buckets share pages, the read that meets the
/// second owner gets a <see cref="BoltError.BadPage"/>, so a few pages cannot stand for an unbounded tree of buckets. Layouts: bbolt <c>page.go</c> (16-byte page header: ID,
/// flags, count, overflow; 16-byte branch and leaf elements with positions relative to the element), <c>db.go</c> (meta and
/// its FNV-1a checksum), <c>bucket.go</c> (a bucket value is its root page and sequence, then an inline page when the root is 0).
/// </summary>
public sealed class BoltFile
{
    private const uint Magic = 0xED0CDAED;
    private const uint Version = 2;
    private const int PageHeaderSize = 16;
    private const int ElementSize = 16;
    private const int BucketHeaderSize = 16;
    private const ushort BranchFlag = 0x01, LeafFlag = 0x02, MetaFlag = 0x04;
    private const uint BucketLeafFlag = 0x01;

    /// <summary>The deepest bucket tree read (bbolt trees of millions of keys are a few levels deep).</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlyMemory<byte> bytes;

    // What the walks so far have seen of the file's structure, which bbolt never contradicts: each page is in one bucket's tree
    // (page -> that bucket's root page), and each bucket's root page is named by one leaf element (root -> leaf page and
    // element; the root bucket's by the meta page). Pages shared between buckets would let a file of a few pages hold an
    // unbounded tree of buckets (300 buckets on one page: 27 million records for three levels), so a second owner or a
    // second name is a damaged page. Filled as buckets are read; guarded for readers on several threads.
    private readonly Dictionary<ulong, ulong> pageOwners = new();
    private readonly Dictionary<ulong, (ulong Page, int Element)> rootNames = new();

    private BoltFile(ReadOnlyMemory<byte> bytes, BoltMeta meta)
    {
        (this.bytes, Meta) = (bytes, meta);
        rootNames[meta.RootPage] = (0, -1);
    }

    /// <summary>The meta page read.</summary>
    public BoltMeta Meta { get; }

    /// <summary>The root bucket (its keys are the top-level buckets).</summary>
    public BoltBucket Root => new(Meta.RootPage, ReadOnlyMemory<byte>.Empty);

    /// <summary>Opens a bbolt file from its bytes: the valid meta page (magic, version 2, checksum) with the higher
    /// transaction ID, as bbolt's <c>db.meta</c> picks it.</summary>
    /// <param name="file">The whole file.</param>
    public static Either<BoltError, BoltFile> Open(ReadOnlyMemory<byte> file)
    {
        var first = MetaAt(file.Span, 0, 0);
        // Page 1 is one page in: the size meta 0 gives, or bbolt's usual 4,096 when meta 0 is damaged.
        var size = first.Match(Right: m => m.PageSize, Left: _ => 4096);
        var second = MetaAt(file.Span, size, 1);
        var metas = new[] { first, second }.Choose(m => m.ToOption()).Filter(m => m.PageSize == size || m.Page == 0).ToList();
        if (metas.Count == 0)
            return new BoltError.NoValidMeta($"page 0: {first.Match(Right: _ => "valid", Left: e => Why(e))}; page 1: {second.Match(Right: _ => "valid", Left: e => Why(e))}");
        var meta = metas.OrderByDescending(m => m.TxId).First();
        return new BoltFile(file, meta);
    }

    private static string Why(BoltError e) => e is BoltError.NoValidMeta n ? n.Why : e.Text;

    private static Either<BoltError, BoltMeta> MetaAt(ReadOnlySpan<byte> file, int offset, int page)
    {
        const int metaSize = 64;   // magic, version, page size, flags, root bucket (16), freelist, pgid, txid, checksum
        if (offset < 0 || file.Length - offset < PageHeaderSize + metaSize) return new BoltError.NoValidMeta("the file ends before it");
        var header = file.Slice(offset, PageHeaderSize);
        if ((BinaryPrimitives.ReadUInt16LittleEndian(header[8..]) & MetaFlag) == 0) return new BoltError.NoValidMeta("not a meta page");
        var m = file.Slice(offset + PageHeaderSize, metaSize);
        if (BinaryPrimitives.ReadUInt32LittleEndian(m) != Magic) return new BoltError.NoValidMeta("bad magic");
        if (BinaryPrimitives.ReadUInt32LittleEndian(m[4..]) != Version) return new BoltError.NoValidMeta("not version 2");
        if (BinaryPrimitives.ReadUInt64LittleEndian(m[56..]) != Fnv1a64(m[..56])) return new BoltError.NoValidMeta("bad checksum");
        var pageSize = BinaryPrimitives.ReadUInt32LittleEndian(m[8..]);
        if (pageSize is < 512 or > 1 << 20 || (pageSize & (pageSize - 1)) != 0) return new BoltError.NoValidMeta($"page size {pageSize}");
        return new BoltMeta(page, (int)pageSize, BinaryPrimitives.ReadUInt64LittleEndian(m[16..]), BinaryPrimitives.ReadUInt64LittleEndian(m[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(m[40..]), BinaryPrimitives.ReadUInt64LittleEndian(m[48..]));
    }

    /// <summary>FNV-1a, 64 bits (Go's <c>hash/fnv</c> <c>New64a</c>), bbolt's meta checksum.</summary>
    internal static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var b in data) hash = (hash ^ b) * 0x100000001b3UL;
        return hash;
    }

    /// <summary>Every key of a bucket, in key order (bbolt keeps them sorted), with nested buckets marked. A key a damaged page
    /// repeats is given once, as first found (what bbolt's <c>Get</c> finds), so no reader of the entries meets it twice.</summary>
    /// <param name="bucket">A bucket of this file.</param>
    public Either<BoltError, Seq<BoltEntry>> Entries(BoltBucket bucket)
    {
        var entries = new List<BoltEntry>();
        if (!bucket.Inline.IsEmpty)
            return Leaf(bucket.Inline, 0, entries).Match<Either<BoltError, Seq<BoltEntry>>>(Some: e => e, None: () => Distinct(entries));
        var seen = new System.Collections.Generic.HashSet<ulong>();
        lock (pageOwners)
            return Walk(bucket.RootPage, "the bucket's root", 0, seen, entries, bucket.RootPage)
                .Match<Either<BoltError, Seq<BoltEntry>>>(Some: e => e, None: () => Distinct(entries));
    }

    // The entries without a repeated key (the first of each kept).
    private static Seq<BoltEntry> Distinct(List<BoltEntry> entries)
    {
        var names = new System.Collections.Generic.HashSet<string>(entries.Count, StringComparer.Ordinal);
        return entries.Where(e => names.Add(e.Name)).ToSeq().Strict();
    }

    /// <summary>The value or bucket at a key of a bucket; None when there is no such key.</summary>
    /// <param name="bucket">A bucket of this file.</param>
    /// <param name="key">The key (UTF-8).</param>
    public Either<BoltError, Option<BoltEntry>> Get(BoltBucket bucket, string key) =>
        Entries(bucket).Map(entries => entries.Find(e => e.Name == key));

    /// <summary>The bucket at a path of keys from the root (e.g. <c>v1</c>, <c>moby</c>, <c>images</c>); None when a key is
    /// missing or names a value.</summary>
    /// <param name="path">The keys, outermost first.</param>
    public Either<BoltError, Option<BoltBucket>> Bucket(params string[] path)
    {
        Either<BoltError, Option<BoltBucket>> at = Some(Root);
        foreach (var key in path)
            at = at.Bind(b => b.Match(
                Some: bucket => Get(bucket, key).Map(e => e.Bind(x => x.Bucket)),
                None: () => Right<BoltError, Option<BoltBucket>>(None)));
        return at;
    }

    // A page's span (its first page and overflow pages), checked against the file and the high-water mark.
    private Either<BoltError, (ReadOnlyMemory<byte> Span, ushort Flags)> PageAt(ulong id, string reached)
    {
        if (id < 2 || id >= Meta.HighWater) return new BoltError.PageOutOfRange(id, reached);
        var size = (ulong)Meta.PageSize;
        var start = id * size;
        if (start + PageHeaderSize > (ulong)bytes.Length) return new BoltError.PageOutOfRange(id, reached);
        var header = bytes.Span.Slice((int)start, PageHeaderSize);
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != id) return new BoltError.BadPage(id, $"its header says page {BinaryPrimitives.ReadUInt64LittleEndian(header)}");
        var overflow = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var end = start + (1 + (ulong)overflow) * size;
        if (id + overflow >= Meta.HighWater || end > (ulong)bytes.Length)
            return new BoltError.BadPage(id, $"{overflow} overflow page(s) run past the file");
        return (bytes.Slice((int)start, (int)(end - start)), BinaryPrimitives.ReadUInt16LittleEndian(header[8..]));
    }

    private Option<BoltError> Walk(ulong id, string reached, int depth, System.Collections.Generic.HashSet<ulong> seen, List<BoltEntry> entries, ulong root)
    {
        if (depth > MaxDepth || !seen.Add(id)) return new BoltError.Cycle(id);
        if (pageOwners.TryGetValue(id, out var owner) && owner != root)
            return new BoltError.BadPage(id, $"in the trees of two buckets (rooted at pages {owner} and {root})");
        pageOwners[id] = root;
        return PageAt(id, reached).Match(Left: e => Some(e), Right: page => Node(page.Span, page.Flags, id, depth, seen, entries, root));
    }

    private Option<BoltError> Node(ReadOnlyMemory<byte> span, ushort flags, ulong id, int depth, System.Collections.Generic.HashSet<ulong> seen, List<BoltEntry> entries,
        ulong root)
    {
        if ((flags & LeafFlag) != 0) return Leaf(span, id, entries, rootNames);
        if ((flags & BranchFlag) == 0) return new BoltError.BadPage(id, $"flags 0x{flags:x2} where a branch or leaf page should be");
        var count = BinaryPrimitives.ReadUInt16LittleEndian(span.Span[10..]);
        if (PageHeaderSize + count * ElementSize > span.Length) return new BoltError.BadPage(id, $"{count} branch elements do not fit");
        for (var i = 0; i < count; i++)
        {
            var child = BinaryPrimitives.ReadUInt64LittleEndian(span.Span[(PageHeaderSize + i * ElementSize + 8)..]);
            var error = Walk(child, $"branch element {i} of page {id}", depth + 1, seen, entries, root);
            if (error.IsSome) return error;
        }
        return None;
    }

    // A leaf page's elements: flags, key position (from the element), key size, value size. A bucket element's root page is
    // recorded in rootNames by (page, element); an inline bucket (page 0), which bbolt never gives a bucket of its own, has none.
    private static Option<BoltError> Leaf(ReadOnlyMemory<byte> span, ulong id, List<BoltEntry> entries,
        Dictionary<ulong, (ulong Page, int Element)>? rootNames = null)
    {
        if (span.Length < PageHeaderSize) return new BoltError.BadPage(id, "shorter than a page header");
        var s = span.Span;
        if ((BinaryPrimitives.ReadUInt16LittleEndian(s[8..]) & LeafFlag) == 0) return new BoltError.BadPage(id, "an inline bucket that is not a leaf page");
        var count = BinaryPrimitives.ReadUInt16LittleEndian(s[10..]);
        if (PageHeaderSize + count * ElementSize > span.Length) return new BoltError.BadPage(id, $"{count} leaf elements do not fit");
        for (var i = 0; i < count; i++)
        {
            var at = PageHeaderSize + i * ElementSize;
            var flags = BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
            var keyAt = (long)at + BinaryPrimitives.ReadUInt32LittleEndian(s[(at + 4)..]);
            var keySize = (long)BinaryPrimitives.ReadUInt32LittleEndian(s[(at + 8)..]);
            var valueSize = (long)BinaryPrimitives.ReadUInt32LittleEndian(s[(at + 12)..]);
            if (keyAt + keySize + valueSize > span.Length) return new BoltError.BadPage(id, $"leaf element {i} points past the page");
            var key = span.Slice((int)keyAt, (int)keySize);
            var value = span.Slice((int)(keyAt + keySize), (int)valueSize);
            var bucket = Option<BoltBucket>.None;
            if ((flags & BucketLeafFlag) != 0)
            {
                if (value.Length < BucketHeaderSize) return new BoltError.BadPage(id, $"leaf element {i} is a bucket shorter than its header");
                var root = BinaryPrimitives.ReadUInt64LittleEndian(value.Span);
                bucket = root == 0
                    ? new BoltBucket(0, value[BucketHeaderSize..])
                    : new BoltBucket(root, ReadOnlyMemory<byte>.Empty);
                if (root == 0 && value.Length == BucketHeaderSize) return new BoltError.BadPage(id, $"leaf element {i} is an inline bucket without its page");
                if (root != 0)
                {
                    if (rootNames is null)
                        return new BoltError.BadPage(root, $"the root of bucket element {i} of an inline bucket, which bbolt never gives a bucket");
                    if (rootNames.TryGetValue(root, out var named) && named != (id, i))
                        return new BoltError.BadPage(root, $"the root of two buckets ({NamedBy(named)} and leaf element {i} of page {id})");
                    rootNames[root] = (id, i);
                }
            }
            entries.Add(new BoltEntry(key, value, bucket));
        }
        return None;
    }

    private static string NamedBy((ulong Page, int Element) named) =>
        named.Element < 0 ? "the meta page's root bucket" : $"leaf element {named.Element} of page {named.Page}";
}
