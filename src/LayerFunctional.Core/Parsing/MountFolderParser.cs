using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using static LayerFunctional.Parsing.FolderFiles;

namespace LayerFunctional.Parsing;

/// <summary>The metadata of one <c>layerdb/mounts/&lt;name&gt;</c> folder, parsed (layer-store.md §1.3, §7.1).</summary>
/// <param name="Name">The mount name (a container ID for containers; not validated by moby).</param>
/// <param name="MountID">From <c>mount-id</c>.</param>
/// <param name="InitID">From <c>init-id</c>; None when the file is absent.</param>
/// <param name="Parent">From <c>parent</c>: the image's top layer; None when absent.</param>
public sealed record MountFolder(string Name, MountID MountID, Option<InitID> InitID, Option<ChainID> Parent);

/// <summary>Parses a mount folder as <c>loadMount</c> does: <c>mount-id</c> required, <c>init-id</c> and
/// <c>parent</c> optional, all trimmed, first failure wins.</summary>
public static class MountFolderParser
{
    /// <summary>Parses one mount folder.</summary>
    /// <param name="name">The mount name.</param>
    /// <param name="folder">The folder relative to the docker root (paths in errors).</param>
    /// <param name="dir">Its raw content.</param>
    /// <param name="version">Rule set (digest case rules for <c>parent</c>).</param>
    /// <returns>Right: the parsed folder. Left: the first file that fails.</returns>
    public static Either<LayerError, MountFolder> Parse(string name, string folder, RawDirectory.Present dir, MobyVersion version) =>
        Parse(name, folder, dir, version, SharedIds.None);

    /// <summary>Parses one mount folder, its IDs sharing the strings of <paramref name="ids"/> (the driver home's listing)
    /// and its parent the chain ID instance of the layerdb's listing.</summary>
    /// <param name="name">The mount name.</param>
    /// <param name="folder">The folder relative to the docker root (paths in errors).</param>
    /// <param name="dir">Its raw content.</param>
    /// <param name="version">Rule set (digest case rules for <c>parent</c>).</param>
    /// <param name="ids">Known chain IDs and names.</param>
    /// <returns>Right: the parsed folder. Left: the first file that fails.</returns>
    public static Either<LayerError, MountFolder> Parse(string name, string folder, RawDirectory.Present dir, MobyVersion version, SharedIds ids)
    {
        if (!Required(dir, folder, "mount-id", ProblemKind.MountIdMissing).TryRight(out var mountBytes, out var error)) return error;
        if (!MountID.Parse(ids.Share(GoText.TrimSpace(mountBytes))).TryRight(out var mountId, out var mountError))
            return Malformed(folder + "/mount-id", ProblemKind.MountIdInvalid, mountBytes, mountError);
        if (!Optional(dir, folder, "init-id").TryRight(out var initFile, out error)) return error;
        var initId = Option<InitID>.None;
        if (initFile.TrySome(out var initBytes))
        {
            if (!InitID.Parse(ids.Share(GoText.TrimSpace(initBytes))).TryRight(out var init, out var initError))
                return Malformed(folder + "/init-id", ProblemKind.InitIdInvalid, initBytes, initError);
            initId = init;
        }
        if (!Optional(dir, folder, "parent").TryRight(out var parentFile, out error)) return error;
        var parent = Option<ChainID>.None;
        if (parentFile.TrySome(out var parentBytes))
        {
            if (!ChainID.ParseFile(parentBytes, version).TryRight(out var chain, out var parentError))
                return Malformed(folder + "/parent", ProblemKind.MountParentInvalid, parentBytes, parentError);
            parent = ids.Share(chain);
        }
        return new MountFolder(name, mountId, initId, parent);
    }
}
