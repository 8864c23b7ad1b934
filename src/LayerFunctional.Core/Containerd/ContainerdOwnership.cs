using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Containerd;

/// <summary>
/// <c>layerfn which</c> in the containerd image store: what a snapshot folder (<c>…/snapshots/&lt;ID&gt;/fs/…</c>) or a blob
/// file (<c>…/blobs/sha256/&lt;hex&gt;</c>) is, by a path under the store's root or by a snapshot key or blob digest. A snapshot
/// keyed by a chain ID is an image layer; by a container ID, a container's read-write layer; by <c>&lt;id&gt;-init</c>, its init
/// layer (moby <c>daemon/containerd/image_snapshot.go</c>). Pure: from the store as read.
/// </summary>
public static class ContainerdOwnership
{
    private const string InitSuffix = "-init";

    /// <summary>The owner of <paramref name="query"/>; None when it names nothing of the store.</summary>
    /// <param name="view">The containerd store as read (<see cref="ContainerdChecks.Check"/>).</param>
    /// <param name="problems">The check's findings (an orphan folder or a blob garbage collection deletes says so).</param>
    /// <param name="query">A path relative to the docker root (or absolute, under a containerd root given apart), a snapshot
    /// key, or a blob digest.</param>
    public static Option<Owner> Find(ContainerdStoreView view, Seq<Problem> problems, string query)
    {
        var q = query.Trim().TrimEnd('/');
        var snapshots = view.Root + "/io.containerd.snapshotter.v1." + view.Snapshotter + "/snapshots/";
        var blobs = view.Root + "/io.containerd.content.v1.content/blobs/sha256/";
        if (q.StartsWith(snapshots, StringComparison.Ordinal))
        {
            var folder = q[snapshots.Length..].Split('/')[0];
            var entry = view.Snapshots.Find(s => s.Id.Exists(id => id.ToString(CultureInfo.InvariantCulture) == folder));
            return entry.Match(
                Some: e => Some(SnapshotOwner(view, query, e)),
                None: () => Some(problems.Exists(p => p.Kind == ProblemKind.ContainerdOrphanSnapshotDir && p.Path == snapshots + folder)
                    ? new Owner(query, OwnerKind.Orphan, None, folder, None, None, Empty, Empty,
                        $"no {view.Snapshotter} snapshot record names folder {folder}: space nothing frees")
                    : new Owner(query, OwnerKind.Unknown, None, None, None, None, Empty, Empty,
                        $"no {view.Snapshotter} snapshot of the moby namespace is in folder {folder}")));
        }
        if (q.StartsWith(blobs, StringComparison.Ordinal))
            return Some(BlobOwner(view, problems, query, "sha256:" + q[blobs.Length..].Split('/')[0]));
        if (view.Snapshots.Find(s => s.Key == q).TrySome(out var byKey)) return Some(SnapshotOwner(view, query, byKey));
        if (q.StartsWith("sha256:", StringComparison.Ordinal) && view.ImageBlobs.Values.Exists(d => d.Exists(x => x == q)))
            return Some(BlobOwner(view, problems, query, q));
        return None;
    }

    private static Owner SnapshotOwner(ContainerdStoreView view, string query, ContainerdSnapshotEntry e)
    {
        var byKey = view.Snapshots.ToDictionary(s => s.Key, StringComparer.Ordinal);
        // Whether `key` is `top` or below it, following parents (cycle-guarded).
        bool Under(string key, string top)
        {
            var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            for (Option<string> at = top; at.TrySome(out var k) && seen.Add(k); at = byKey.TryGetValue(k, out var s) ? s.Parent : None)
                if (k == key) return true;
            return false;
        }
        var images = view.ImageTops.Filter(top => Under(e.Key, top)).Keys.OrderBy(n => n, StringComparer.Ordinal).ToSeq().Strict();
        // Containers: the read-write snapshots (keyed by a container ID, not a chain ID or an init layer) on it.
        var containers = view.Snapshots.Filter(s => !s.Key.StartsWith("sha256:", StringComparison.Ordinal) && !s.Key.EndsWith(InitSuffix, StringComparison.Ordinal)
                && Under(e.Key, s.Key)).Map(s => new MountName(s.Key)).OrderBy(k => k).ToSeq().Strict();
        var folder = e.Id.Map(id => id.ToString(CultureInfo.InvariantCulture));
        var where = folder.Map(f => $" (folder {f})").IfNone("");
        if (e.Key.StartsWith("sha256:", StringComparison.Ordinal))
            return new Owner(query, OwnerKind.Layer, e.Key, folder, None, None, images, containers,
                $"{view.Snapshotter} snapshot of image layer {e.Key}{where}");
        var init = e.Key.EndsWith(InitSuffix, StringComparison.Ordinal);
        var container = new MountName(init ? e.Key[..^InitSuffix.Length] : e.Key);
        // A container's layers sit on its image's top layer: the first image-layer snapshot below, and the images whose top it is.
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var layer = Option<string>.None;
        for (var at = e.Parent; at.TrySome(out var k) && seen.Add(k) && layer.IsNone; at = byKey.TryGetValue(k, out var s) ? s.Parent : None)
            if (k.StartsWith("sha256:", StringComparison.Ordinal)) layer = k;
        var under = view.ImageTops.Filter(top => layer.Exists(l => l == top)).Keys.OrderBy(n => n, StringComparer.Ordinal).ToSeq().Strict();
        return new Owner(query, init ? OwnerKind.InitLayer : OwnerKind.Mount, layer, folder, Some(container), None, under, Seq1(container),
            $"{(init ? "init" : "read-write")} snapshot of container {container}{where}");
    }

    private static Owner BlobOwner(ContainerdStoreView view, Seq<Problem> problems, string query, string digest)
    {
        var images = view.ImageBlobs.Filter(d => d.Exists(x => x == digest)).Keys.OrderBy(n => n, StringComparer.Ordinal).ToSeq().Strict();
        var role = view.Images.Exists(i => i.TargetDigest == digest) ? "target (manifest or index)"
            : view.Configs.Values.Exists(c => c.Exists(x => x == digest)) ? "config"
            : "manifest or layer";
        var note = !images.IsEmpty ? $"blob {digest}: the {role} of {images.Count} image(s)"
            : problems.Exists(p => p.Kind == ProblemKind.ContainerdBlobUnreferenced && p.Fact is Fact.ContainerdBlobUnreferenced u && u.Digest == digest)
                ? $"blob {digest}: held by nothing, garbage collection deletes it"
                : $"blob {digest}: no image needs it";
        return new Owner(query, OwnerKind.Blob, None, None, None, None, images, Empty, note);
    }
}
