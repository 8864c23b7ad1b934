using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Containerd;

/// <summary>What a repair of the containerd store does.</summary>
public enum ContainerdRepairStep
{
    /// <summary>Remove a snapshot whose folder, own record or parent is gone (<c>ctr snapshots rm</c>), and the image-layer
    /// snapshots above it first: containerd unpacks the image again when it is next used.</summary>
    RemoveSnapshot,
    /// <summary>Remove a blob's record whose file is missing or wrong (<c>ctr content rm</c>), so that a pull fetches it again.</summary>
    RemoveBlob,
    /// <summary>Pull an image again (<c>docker pull</c>): its missing or wrong blobs and its removed layers come back.</summary>
    PullImage,
}

/// <summary>One command of a containerd repair.</summary>
/// <param name="Step">What it does.</param>
/// <param name="Target">The snapshot key, blob digest or image name.</param>
/// <param name="Repairs">The finding it repairs.</param>
/// <param name="FindingPath">That finding's path.</param>
public sealed record ContainerdRepair(ContainerdRepairStep Step, string Target, ProblemKind Repairs, string FindingPath);

/// <summary>
/// The repair of a containerd store (issue "Docker 29": plans as for the graph-driver store): what a running containerd can
/// be asked to rebuild. A broken image-layer snapshot is removed with the image-layer snapshots above it (children first, as
/// containerd requires) and its images pulled again; a blob whose file is missing or wrong loses its record and its images
/// are pulled again. What can be recovered is never touched: no snapshot with a container's layer on it is removed (its
/// read-write data is there), and a container's own snapshots are left to the reader. Pure: from the view and the findings.
/// </summary>
public static class ContainerdRepairs
{
    /// <summary>The commands, in the order a plan runs them: snapshot removals (children first), blob removals, pulls.</summary>
    /// <param name="view">The store as read.</param>
    /// <param name="problems">Its findings.</param>
    /// <returns>The commands, and the findings left to the reader (a container's layer sits on the snapshot, or it is one).</returns>
    public static (Seq<ContainerdRepair> Commands, Seq<Problem> Left) Plan(ContainerdStoreView view, Seq<Problem> problems)
    {
        var byKey = view.Snapshots.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var children = view.Snapshots.Filter(s => s.Parent.IsSome).ToLookup(s => s.Parent.IfNone(""), s => s.Key, StringComparer.Ordinal);
        var removals = new List<ContainerdRepair>();
        var pulls = new List<ContainerdRepair>();
        var left = new List<Problem>();
        // Apart: a base layer's chain ID is its blob's digest too.
        var removedSnapshots = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var removedBlobs = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        void Pull(string image, Problem why) { if (!pulls.Exists(p => p.Target == image)) pulls.Add(new(ContainerdRepairStep.PullImage, image, why.Kind, why.Path)); }

        foreach (var p in problems.OrderBy(p => p.Path, StringComparer.Ordinal))
        {
            var key = p.Fact switch
            {
                Fact.ContainerdSnapshotDirMissing f => Some(f.Key),
                Fact.ContainerdSnapshotMissing f => Some(f.Key),
                Fact.ContainerdSnapshotParentMissing f => Some(f.Key),
                _ => None,
            };
            if (key.TrySome(out var k))
            {
                // The snapshot and everything above it, children first (a breadth-first list, reversed).
                var above = new List<string> { k };
                for (var i = 0; i < above.Count && above.Count <= byKey.Count; i++)
                    foreach (var child in children[above[i]]) if (!above.Contains(child)) above.Add(child);
                if (above.Exists(s => !s.StartsWith("sha256:", StringComparison.Ordinal)))
                {
                    left.Add(p);   // a container's layer: its read-write data is not for a script to remove
                    continue;
                }
                above.Reverse();
                foreach (var s in above.Where(removedSnapshots.Add)) removals.Add(new(ContainerdRepairStep.RemoveSnapshot, s, p.Kind, p.Path));
                foreach (var image in view.ImageTops.Filter(top => above.Contains(top)).Keys.OrderBy(n => n, StringComparer.Ordinal)) Pull(image, p);
            }
            else if (p.Fact is Fact.ContainerdBlobMissing or Fact.ContainerdBlobCorrupt)
            {
                var digest = p.Fact is Fact.ContainerdBlobMissing m ? m.Digest : ((Fact.ContainerdBlobCorrupt)p.Fact).Digest;
                if (view.BlobSizes.ContainsKey(digest) && removedBlobs.Add(digest)) removals.Add(new(ContainerdRepairStep.RemoveBlob, digest, p.Kind, p.Path));
                foreach (var image in view.ImageBlobs.Filter(d => d.Exists(x => x == digest)).Keys.OrderBy(n => n, StringComparer.Ordinal)) Pull(image, p);
            }
        }
        return ((removals.Where(r => r.Step == ContainerdRepairStep.RemoveSnapshot)
                .Concat(removals.Where(r => r.Step == ContainerdRepairStep.RemoveBlob)).Concat(pulls)).ToSeq().Strict(),
            left.ToSeq().Strict());
    }
}
