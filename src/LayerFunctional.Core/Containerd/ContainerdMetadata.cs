using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Containerd;

/// <summary>An image record of containerd's metadata store: its name and the descriptor it points at.</summary>
/// <param name="Name">The image name (e.g. <c>docker.io/library/alpine:3</c>).</param>
/// <param name="TargetDigest">The target's digest (a manifest or an index); empty when the record has none.</param>
/// <param name="MediaType">The target's media type; empty when absent.</param>
/// <param name="Size">The target's size in bytes; None when absent or not a varint.</param>
public sealed record ContainerdImage(string Name, string TargetDigest, string MediaType, Option<long> Size)
{
    /// <summary>The image record's labels (a <c>containerd.io/gc.ref.snapshot.*</c> one holds a snapshot).</summary>
    public HashMap<string, string> Labels { get; init; }
}

/// <summary>A content blob record: what the content store should hold at <c>blobs/sha256/&lt;hex&gt;</c>.</summary>
/// <param name="Digest">The blob's digest.</param>
/// <param name="Size">Its size in bytes; None when absent or not a varint.</param>
/// <param name="Labels">Its labels (the <c>containerd.io/gc.ref.*</c> ones are what garbage collection follows).</param>
public sealed record ContainerdBlob(string Digest, Option<long> Size, HashMap<string, string> Labels);

/// <summary>A snapshot record of the metadata store: the key Docker uses and the snapshotter's own name for it.</summary>
/// <param name="Snapshotter">The snapshotter (overlayfs, native, …).</param>
/// <param name="Key">The key (Docker: a chain ID for an image layer, a container ID and <c>&lt;id&gt;-init</c> for containers).</param>
/// <param name="BackendName">The name in the snapshotter's own store (<c>&lt;namespace&gt;/&lt;n&gt;/&lt;key&gt;</c>); empty when absent.</param>
/// <param name="Parent">The parent snapshot's key, when it has one.</param>
public sealed record ContainerdSnapshot(string Snapshotter, string Key, string BackendName, Option<string> Parent)
{
    /// <summary>The snapshot record's labels (<c>containerd.io/gc.root</c> keeps it; <c>ctr snapshots prepare</c> sets it).</summary>
    public HashMap<string, string> Labels { get; init; }
}

/// <summary>A container record of the metadata store (dockerd writes one when a container starts).</summary>
/// <param name="Id">The container ID.</param>
/// <param name="Snapshotter">Its snapshotter; empty when absent.</param>
/// <param name="SnapshotKey">Its read-write snapshot's key; empty when absent.</param>
/// <param name="Image">Its image name; empty when absent.</param>
/// <param name="Labels">Its labels.</param>
public sealed record ContainerdContainer(string Id, string Snapshotter, string SnapshotKey, string Image, HashMap<string, string> Labels);

/// <summary>A lease and what it holds from garbage collection.</summary>
/// <param name="Id">The lease ID (Docker: a container ID for a container's snapshots).</param>
/// <param name="Content">Blob digests it holds.</param>
/// <param name="Snapshots">Snapshots it holds, as (snapshotter, key).</param>
public sealed record ContainerdLease(string Id, Seq<string> Content, Seq<(string Snapshotter, string Key)> Snapshots)
{
    /// <summary>The lease's labels (<c>containerd.io/gc.expire</c>: an RFC 3339 time after which it holds nothing).</summary>
    public HashMap<string, string> Labels { get; init; }

    /// <summary>When the lease expires (<c>containerd.io/gc.expire</c>, RFC 3339); None when it never does or the label does not
    /// parse (containerd then keeps it).</summary>
    public Option<DateTimeOffset> Expires =>
        Labels.Find("containerd.io/gc.expire").Bind(t => DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? Some(at) : None);
}

/// <summary>One namespace of containerd's metadata store (<c>meta.db</c>; Docker's is <c>moby</c>), each list sorted by key
/// as bbolt keeps it.</summary>
/// <param name="Name">The namespace.</param>
/// <param name="Images">Image records.</param>
/// <param name="Blobs">Content blob records.</param>
/// <param name="Snapshots">Snapshot records of every snapshotter.</param>
/// <param name="Leases">Leases.</param>
/// <param name="Containers">Container records.</param>
public sealed record ContainerdNamespace(string Name, Seq<ContainerdImage> Images, Seq<ContainerdBlob> Blobs, Seq<ContainerdSnapshot> Snapshots,
    Seq<ContainerdLease> Leases, Seq<ContainerdContainer> Containers);

/// <summary>The kind of a snapshot in a snapshotter's own store (containerd <c>snapshots.Kind</c>).</summary>
public enum SnapshotKind
{
    /// <summary>0, or a value containerd never writes.</summary>
    Unknown,
    /// <summary>1: a read-only view.</summary>
    View,
    /// <summary>2: active, writable (a container's layer, or one being unpacked).</summary>
    Active,
    /// <summary>3: committed, read-only (an image layer).</summary>
    Committed,
}

/// <summary>Names of snapshot kinds as <c>ctr snapshots ls</c> prints them.</summary>
public static class SnapshotKinds
{
    /// <summary><c>View</c>, <c>Active</c>, <c>Committed</c> or <c>Unknown</c>.</summary>
    /// <param name="kind">A kind.</param>
    public static string Id(this SnapshotKind kind) => kind switch
    {
        SnapshotKind.View => "View",
        SnapshotKind.Active => "Active",
        SnapshotKind.Committed => "Committed",
        _ => "Unknown",
    };
}

/// <summary>A snapshot in a snapshotter's own store (<c>metadata.db</c>): its data is in <c>snapshots/&lt;ID&gt;/fs</c>.</summary>
/// <param name="Name">The backend name (<c>&lt;namespace&gt;/&lt;n&gt;/&lt;key&gt;</c>).</param>
/// <param name="Id">The numeric ID naming its folder; None when absent or not a uvarint.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Parent">The parent's backend name, when it has one.</param>
public sealed record SnapshotterRecord(string Name, Option<ulong> Id, SnapshotKind Kind, Option<string> Parent);

/// <summary>
/// containerd's metadata as Docker's containerd image store leaves it, read from bbolt files: the namespace buckets of
/// <c>io.containerd.metadata.v1.bolt/meta.db</c> (containerd <c>core/metadata/buckets.go</c>: <c>v1/&lt;namespace&gt;/{images,
/// content/blob, snapshots/&lt;snapshotter&gt;, leases, containers}</c>) and a snapshotter's <c>metadata.db</c> (containerd
/// <c>core/snapshots/storage/bolt.go</c>: <c>v1/snapshots/&lt;name&gt;/{id, kind, parent}</c>). Pure. A record whose fields are
/// missing or of the wrong shape keeps what it has (empty text, None); only a damaged bbolt file is an error.
/// </summary>
public static class ContainerdMetadata
{
    /// <summary>Docker's namespace.</summary>
    public const string DockerNamespace = "moby";

    /// <summary>One namespace of a <c>meta.db</c>; None when the file has no such namespace.</summary>
    /// <param name="db">The opened <c>meta.db</c>.</param>
    /// <param name="ns">The namespace (<see cref="DockerNamespace"/>).</param>
    public static Either<BoltError, Option<ContainerdNamespace>> Namespace(BoltFile db, string ns = DockerNamespace) =>
        db.Bucket("v1", ns).Bind(found => found.Match(
            None: () => Right<BoltError, Option<ContainerdNamespace>>(None),
            Some: bucket => Namespace(db, ns, bucket).Map(Some)));

    // Bind chains, not LINQ queries, and no Either of nested sequences: LanguageExt's query operators over Either break
    // under Native AOT.
    private static Either<BoltError, ContainerdNamespace> Namespace(BoltFile db, string ns, BoltBucket bucket) =>
        Children(db, bucket, "images").Bind(es => Traverse(es, e => Image(db, e))).Bind(images =>
            Sub(db, bucket, "content").Bind(c => c.Match(
                    Some: content => Children(db, content, "blob").Bind(es => Traverse(es, e => Blob(db, e))),
                    None: () => Right<BoltError, Seq<ContainerdBlob>>(Empty))).Bind(blobs =>
                Children(db, bucket, "snapshots").Bind(es => TraverseMany(es, s => s.Bucket.Match(
                    Some: b => db.Entries(b).Bind(keys => Traverse(keys, k => Snapshot(db, s.Name, k))),
                    None: () => Right<BoltError, Seq<ContainerdSnapshot>>(Empty)))).Bind(snapshots =>
                    Children(db, bucket, "leases").Bind(es => Traverse(es, e => Lease(db, e))).Bind(leases =>
                        Children(db, bucket, "containers").Bind(es => Traverse(es, e => Container(db, e))).Map(containers =>
                            new ContainerdNamespace(ns, images, blobs, snapshots, leases, containers))))));

    /// <summary>The snapshots of a snapshotter's own <c>metadata.db</c>, by name.</summary>
    /// <param name="db">The opened <c>metadata.db</c>.</param>
    public static Either<BoltError, Seq<SnapshotterRecord>> SnapshotterRecords(BoltFile db) =>
        db.Bucket("v1", "snapshots").Bind(found => found.Match(
            None: () => Right<BoltError, Seq<SnapshotterRecord>>(Empty),
            Some: b => db.Entries(b).Bind(es => Traverse(es.Filter(e => e.Bucket.IsSome), e => Fields(db, e).Map(f => new SnapshotterRecord(
                e.Name,
                f.Find("id").Bind(v => UVarint(v.Value.Span)),
                f.Find("kind").Bind(v => v.Value.Length == 1 ? Some(v.Value.Span[0]) : None)
                    .Map(k => k is >= 1 and <= 3 ? (SnapshotKind)k : SnapshotKind.Unknown).IfNone(SnapshotKind.Unknown),
                f.Find("parent").Map(v => Text(v.Value)).Filter(p => p.Length > 0)))))));

    // The nested buckets under a key of a bucket (none when the key is absent or a value).
    private static Either<BoltError, Seq<BoltEntry>> Children(BoltFile db, BoltBucket parent, string key) =>
        Sub(db, parent, key).Bind(b => b.Match(
            Some: bucket => db.Entries(bucket).Map(es => es.Filter(e => e.Bucket.IsSome).Strict()),
            None: () => Right<BoltError, Seq<BoltEntry>>(Empty)));

    private static Either<BoltError, Option<BoltBucket>> Sub(BoltFile db, BoltBucket parent, string key) =>
        db.Get(parent, key).Map(e => e.Bind(x => x.Bucket));

    // A record bucket's keys (values and nested buckets) by name.
    private static Either<BoltError, HashMap<string, BoltEntry>> Fields(BoltFile db, BoltEntry record) =>
        record.Bucket.Match(
            Some: b => db.Entries(b).Map(es => toHashMap(es.Map(e => (e.Name, e)))),
            None: () => Right<BoltError, HashMap<string, BoltEntry>>(default));

    private static Either<BoltError, HashMap<string, string>> Labels(BoltFile db, HashMap<string, BoltEntry> fields) =>
        fields.Find("labels").Bind(l => l.Bucket).Match(
            Some: b => db.Entries(b).Map(es => toHashMap(es.Filter(e => e.Bucket.IsNone).Map(e => (e.Name, Text(e.Value))))),
            None: () => Right<BoltError, HashMap<string, string>>(default));

    private static Either<BoltError, ContainerdImage> Image(BoltFile db, BoltEntry record) =>
        Fields(db, record).Bind(f => f.Find("target").Map(t => Fields(db, t)).IfNone(Right<BoltError, HashMap<string, BoltEntry>>(default))
            .Bind(target => Labels(db, f).Map(labels => new ContainerdImage(record.Name, target.Find("digest").Map(v => Text(v.Value)).IfNone(""),
                target.Find("mediatype").Map(v => Text(v.Value)).IfNone(""), target.Find("size").Bind(v => Varint(v.Value.Span))) { Labels = labels })));

    private static Either<BoltError, ContainerdContainer> Container(BoltFile db, BoltEntry record) =>
        Fields(db, record).Bind(f => Labels(db, f).Map(labels => new ContainerdContainer(record.Name,
            f.Find("snapshotter").Map(v => Text(v.Value)).IfNone(""), f.Find("snapshotKey").Map(v => Text(v.Value)).IfNone(""),
            f.Find("image").Map(v => Text(v.Value)).IfNone(""), labels)));

    private static Either<BoltError, ContainerdBlob> Blob(BoltFile db, BoltEntry record) =>
        Fields(db, record).Bind(f => Labels(db, f).Map(labels => new ContainerdBlob(record.Name, f.Find("size").Bind(v => Varint(v.Value.Span)), labels)));

    private static Either<BoltError, ContainerdSnapshot> Snapshot(BoltFile db, string snapshotter, BoltEntry record) =>
        Fields(db, record).Bind(f => Labels(db, f).Map(labels => new ContainerdSnapshot(snapshotter, record.Name, f.Find("name").Map(v => Text(v.Value)).IfNone(""),
            f.Find("parent").Map(v => Text(v.Value)).Filter(p => p.Length > 0)) { Labels = labels }));

    private static Either<BoltError, ContainerdLease> Lease(BoltFile db, BoltEntry record) =>
        Fields(db, record).Bind(f =>
            f.Find("content").Bind(c => c.Bucket).Match(
                Some: b => db.Entries(b).Map(es => es.Map(e => e.Name).Strict()), None: () => Right<BoltError, Seq<string>>(Empty)).Bind(content =>
            f.Find("snapshots").Bind(s => s.Bucket).Match(
                Some: b => db.Entries(b).Bind(ss => TraverseMany(ss.Filter(s => s.Bucket.IsSome), s => s.Bucket.Match(
                    Some: keys => db.Entries(keys).Map(ks => ks.Map(k => (s.Name, k.Name)).Strict()),
                    None: () => Right<BoltError, Seq<(string, string)>>(Empty)))),
                None: () => Right<BoltError, Seq<(string, string)>>(Empty)).Bind(snapshots =>
            Labels(db, f).Map(labels => new ContainerdLease(record.Name, content, snapshots) { Labels = labels }))));

    // Each entry's sequence, joined; the first error stops it.
    private static Either<BoltError, Seq<T>> TraverseMany<T>(Seq<BoltEntry> entries, Func<BoltEntry, Either<BoltError, Seq<T>>> read)
    {
        var list = new List<T>();
        foreach (var e in entries)
        {
            var failed = read(e).Match(Right: values => { list.AddRange(values); return Option<BoltError>.None; }, Left: error => Some(error));
            if (failed.TrySome(out var error)) return error;
        }
        return list.ToSeq().Strict();
    }

    private static Either<BoltError, Seq<T>> Traverse<T>(Seq<BoltEntry> entries, Func<BoltEntry, Either<BoltError, T>> read) =>
        TraverseMany(entries, e => read(e).Map(value => Seq1(value)));

    private static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    /// <summary>Go's <c>binary.Uvarint</c>: None when the bytes end early or it overflows 64 bits.</summary>
    internal static Option<ulong> UVarint(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (var i = 0; i < bytes.Length && i < 10; i++)
        {
            var b = bytes[i];
            if (i == 9 && b > 1) return None;
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80) return value;
        }
        return None;
    }

    /// <summary>Go's <c>binary.Varint</c> (zig-zag): what containerd writes sizes with.</summary>
    internal static Option<long> Varint(ReadOnlySpan<byte> bytes) =>
        UVarint(bytes).Map(u => (long)(u >> 1) ^ -(long)(u & 1));
}
