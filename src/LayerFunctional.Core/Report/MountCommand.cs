using System.Text;
using LanguageExt;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>A read-only overlay mount of one container.</summary>
/// <param name="Container">The container ID (mount name).</param>
/// <param name="LowerDirs">The folders, top first: read-write <c>diff</c>, init <c>diff</c>, then the image's layers down to the base.</param>
/// <param name="Command">The shell command, single-quoted, ending with a newline.</param>
public sealed record OverlayMount(MountName Container, Seq<string> LowerDirs, string Command);

/// <summary>
/// The read-only overlay mount of a container's file system, for forensic work: the container's read-write
/// folder on top, then its init layer, then the image's layers from the top layer down to the base layer
/// (overlayfs takes <c>lowerdir</c> top first). Mirrors the order moby's overlay2 driver gives the kernel
/// (<c>lower</c> files: the init layer's chain, with the read-write <c>diff</c> as upper), but mounts everything
/// read-only, so nothing under the root is written. overlay2 and fuse-overlayfs only.
/// </summary>
public static class MountCommand
{
    /// <summary>The shell command, or why there is none.</summary>
    /// <param name="report">A check report of the root (the container's mount must load).</param>
    /// <param name="fullRoot">The docker root's absolute path (the folders are given under it).</param>
    /// <param name="container">A container ID, a unique prefix of 6 or more characters, or a container name (<c>/web</c> or <c>web</c>).</param>
    /// <param name="target">Where to mount, e.g. <c>/mnt/container</c>.</param>
    /// <returns>Right: the folders and <c>mount -t overlay overlay -o 'ro,lowerdir=…' '/mnt/container'</c> and a newline.
    /// Left: the target is empty, the container is unknown, ambiguous, not loaded, on another driver, or a path cannot be
    /// expressed in overlay's options (a comma or a newline in it).</returns>
    public static Either<string, OverlayMount> For(CheckReport report, string fullRoot, string container, string target)
    {
        if (target.Length == 0) return "the target folder is empty";
        var driver = report.Driver.Name.Map(d => d.Value).IfNone("");
        if (driver is not ("overlay2" or "fuse-overlayfs"))
            return $"mount-command needs an overlay2 or fuse-overlayfs root; this one uses {(driver.Length == 0 ? "no graph driver" : driver)}";
        var byName = report.Containers.Values.Filter(c => c.Name.Exists(n => n == container || n == "/" + container)).Map(c => c.Id).ToSeq();
        // Enumerable.Concat, not Seq's: ILC 10.0.12 crashes (SIGSEGV) compiling LanguageExt's SeqConcat<T>.Fold for T = MountName.
        var candidates = report.Store.Mounts.Map(m => m.Name).Filter(n => n == container || (container.Length >= 6 && n.Value.StartsWith(container, StringComparison.Ordinal)))
            .AsEnumerable().Concat(byName).Distinct().ToSeq();
        if (candidates.IsEmpty)
            return Left<string, OverlayMount>(report.Store.SkippedMounts.Exists(m => m.Name.Value.StartsWith(container, StringComparison.Ordinal))
                ? $"container {container}: moby does not load its mount (see layerfn check)"
                : $"no container matches {container}");
        if (candidates.Count > 1) return Left<string, OverlayMount>($"{container} matches {candidates.Count} containers: {string.Join(", ", candidates.Order())}");
        if (!report.Store.Mounts.Find(m => m.Name == candidates.Head).TrySome(out var mount))
            return Left<string, OverlayMount>($"container {container}: moby does not load its mount (see layerfn check)");
        var graph = LayerGraph.Of(report.Store);
        var dirs = new List<string> { $"{fullRoot}/{driver}/{mount.MountID.Value}/diff" };
        mount.InitID.IfSome(i => dirs.Add($"{fullRoot}/{driver}/{i.Value}/diff"));
        for (var at = mount.Parent; at.TrySome(out var c); )
        {
            if (!graph.IndexOf(c).TrySome(out var i)) return Left<string, OverlayMount>($"layer {c} of container {mount.Name} is not loaded");
            var layer = graph[i];
            dirs.Add($"{fullRoot}/{driver}/{layer.CacheID.Value}/diff");
            at = layer.Parent;
        }
        if (dirs.Find(d => d.Contains(',', StringComparison.Ordinal) || d.Contains('\n', StringComparison.Ordinal)) is { } bad)
            return Left<string, OverlayMount>($"{bad} cannot be given to overlay's mount options (a comma or newline in the path)");
        // overlayfs splits lowerdir at ':'; a ':' inside a path is escaped with a backslash.
        var lower = string.Join(':', dirs.Select(d => d.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal)));
        return new OverlayMount(mount.Name, dirs.ToSeq().Strict(),
            $"mount -t overlay overlay -o {CleanupPlan.ShellQuote("ro,lowerdir=" + lower)} {CleanupPlan.ShellQuote(NotAnOption(target))}\n");
    }

    /// <summary>A target that <c>mount</c> cannot read as an option: <c>-w</c> (read-write) becomes <c>./-w</c>, the same folder.</summary>
    /// <param name="target">The target as given.</param>
    internal static string NotAnOption(string target) => target.StartsWith('-') ? "./" + target : target;

}
