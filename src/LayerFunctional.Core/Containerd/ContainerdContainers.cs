using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Containerd;

/// <summary>
/// The container restore when dockerd uses the containerd image store (moby 29.1 <c>daemon/daemon.go</c> <c>restore</c>
/// with <c>daemon/containerd/image_snapshot.go</c> <c>GetLayerByID</c>): the same decoding and checks as with a graph driver
/// (<see cref="ContainerRestore"/>: config, ID, OS, name, panics), the snapshotter in the place of the graph driver, and the
/// container's layer found when the snapshotter has a snapshot keyed by the container's ID and a lease of that ID holds it
/// ("RW layer for container … not found", "rw layer lease not found"). Pure.
/// </summary>
public static class ContainerdContainers
{
    /// <summary>The containers dockerd restores, and why the others are not.</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="view">The containerd store in use.</param>
    /// <param name="folders">The container folders (<c>containers/&lt;id&gt;</c>); None when the folder is absent.</param>
    public static ContainerRestoreResult Restore(MobyVersion version, ContainerdStoreView view, Option<Seq<ContainerFolderRead>> folders)
    {
        var snapshots = view.Snapshots.Map(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var leases = view.Leases.ToHashSet(StringComparer.Ordinal);
        var layers = folders.IfNone(Empty).Map(f => f.Id).Filter(id => snapshots.Contains(id.Value) && leases.Contains(id.Value)).Strict();
        var restored = ContainerRestore.Run(version, view.Snapshotter, view.Root, layers, layers, folders);
        // A container's layer is a snapshot and a lease here, not a mount folder: its own finding, at the container.
        var problems = restored.Problems
            .Filter(p => p.Kind != ProblemKind.MountWithoutContainer)
            .Map(p => p is { Kind: ProblemKind.ContainerWithoutMount, Fact: Fact.ContainerWithoutMount f }
                ? p with
                {
                    Kind = ProblemKind.ContainerdContainerLayerMissing,
                    Fact = new Fact.ContainerdContainerLayerMissing(f.Name, f.Id, view.Snapshotter, !snapshots.Contains(f.Id.Value), !leases.Contains(f.Id.Value), f.Kept),
                }
                : p)
            .Strict();
        return restored with { Problems = problems };
    }
}
