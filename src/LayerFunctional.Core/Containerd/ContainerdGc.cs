using LanguageExt;

namespace LayerFunctional.Containerd;

/// <summary>What containerd's garbage collection keeps in one namespace: every blob and snapshot reachable from a root.</summary>
/// <param name="Content">Digests of the blobs it keeps (records or not).</param>
/// <param name="Snapshots">The snapshots it keeps, as (snapshotter, key).</param>
public sealed record ContainerdReachable(System.Collections.Generic.HashSet<string> Content, System.Collections.Generic.HashSet<(string Snapshotter, string Key)> Snapshots);

/// <summary>
/// containerd's garbage collection, as a reachability walk over one namespace of <c>meta.db</c> (containerd
/// <c>core/metadata/gc.go</c>: <c>scanRoots</c> and <c>references</c>). Roots: an image's target blob and the snapshots its
/// <c>containerd.io/gc.ref.snapshot.&lt;snapshotter&gt;</c> labels name; a container's snapshot and its snapshot labels; a
/// lease's blobs and snapshots; a blob or snapshot labelled <c>containerd.io/gc.root</c>. Edges: a blob's
/// <c>containerd.io/gc.ref.content</c> labels (the bare key or <c>containerd.io/gc.ref.content.&lt;name&gt;</c>: a manifest names
/// its config <c>.config</c> and layers <c>.l.&lt;i&gt;</c>, an index its manifests <c>.m.&lt;i&gt;</c>) and snapshot labels (an
/// image config names the snapshot it was unpacked to); a snapshot's parent and snapshot labels. What is not reached is
/// deleted at the next collection. A lease past its <c>containerd.io/gc.expire</c> time at <c>now</c> holds nothing (containerd
/// deletes expired leases first, <c>core/metadata/leases.go</c>); one without the label, or whose label does not parse, holds. Pure:
/// the time comes from the caller.
/// </summary>
public static class ContainerdGc
{
    private const string Root = "containerd.io/gc.root";
    private const string SnapshotRef = "containerd.io/gc.ref.snapshot.";
    private const string ContentRef = "containerd.io/gc.ref.content";

    /// <summary>The blobs and snapshots garbage collection keeps.</summary>
    /// <param name="ns">The namespace as read.</param>
    /// <param name="now">When the collection runs (the shell's clock; None: every lease holds).</param>
    public static ContainerdReachable Reachable(ContainerdNamespace ns, Option<DateTimeOffset> now = default)
    {
        var blobs = ns.Blobs.ToDictionary(b => b.Digest, StringComparer.Ordinal);
        var snapshots = new Dictionary<(string, string), ContainerdSnapshot>();
        foreach (var s in ns.Snapshots) snapshots.TryAdd((s.Snapshotter, s.Key), s);
        var content = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var kept = new System.Collections.Generic.HashSet<(string, string)>();
        var contentWork = new Stack<string>();
        var snapshotWork = new Stack<(string, string)>();
        void Blob(string digest) { if (digest.Length > 0 && content.Add(digest)) contentWork.Push(digest); }
        void Snapshot(string snapshotter, string key) { if (key.Length > 0 && kept.Add((snapshotter, key))) snapshotWork.Push((snapshotter, key)); }
        void SnapshotLabels(HashMap<string, string> labels)
        {
            foreach (var (key, value) in labels)
                if (key.StartsWith(SnapshotRef, StringComparison.Ordinal)) Snapshot(key[SnapshotRef.Length..], value);
        }

        foreach (var image in ns.Images)
        {
            Blob(image.TargetDigest);
            SnapshotLabels(image.Labels);
        }
        foreach (var b in ns.Blobs.Filter(b => b.Labels.ContainsKey(Root))) Blob(b.Digest);
        foreach (var c in ns.Containers)
        {
            if (c.Snapshotter.Length > 0) Snapshot(c.Snapshotter, c.SnapshotKey);
            SnapshotLabels(c.Labels);
        }
        foreach (var s in ns.Snapshots.Filter(s => s.Labels.ContainsKey(Root))) Snapshot(s.Snapshotter, s.Key);
        foreach (var lease in ns.Leases.Filter(l => !now.Exists(at => l.Expires.Exists(e => e <= at))))
        {
            foreach (var digest in lease.Content) Blob(digest);
            foreach (var (snapshotter, key) in lease.Snapshots) Snapshot(snapshotter, key);
        }

        while (contentWork.Count > 0 || snapshotWork.Count > 0)
        {
            if (contentWork.TryPop(out var digest))
            {
                if (!blobs.TryGetValue(digest, out var blob)) continue;   // a dead edge: no record
                SnapshotLabels(blob.Labels);
                foreach (var (key, value) in blob.Labels)
                    if (IsContentRef(key)) Blob(value);
            }
            else if (snapshotWork.TryPop(out var at) && snapshots.TryGetValue(at, out var snapshot))
            {
                if (snapshot.Parent.TrySome(out var parent)) Snapshot(snapshot.Snapshotter, parent);
                SnapshotLabels(snapshot.Labels);
            }
        }
        return new ContainerdReachable(content, kept);
    }

    /// <summary>Whether a label names a blob garbage collection follows: <c>containerd.io/gc.ref.content</c> itself, or that
    /// key followed by <c>.</c> and a name.</summary>
    /// <param name="key">A label key.</param>
    public static bool IsContentRef(string key) =>
        key.StartsWith(ContentRef, StringComparison.Ordinal) && (key.Length == ContentRef.Length || key[ContentRef.Length] == '.');
}
