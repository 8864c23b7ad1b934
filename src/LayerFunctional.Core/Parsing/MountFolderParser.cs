using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using static LayerFunctional.Parsing.FolderFiles;

namespace LayerFunctional.Parsing;

/// <summary>The metadata of one <c>layerdb/mounts/&lt;name&gt;</c> folder, parsed (layer-store.md §1.3, §7.1).</summary>
/// <param name="Name">The mount name (a container ID for containers; not validated by moby).</param>
/// <param name="Folder">The folder relative to the docker root.</param>
/// <param name="MountID">From <c>mount-id</c>.</param>
/// <param name="InitID">From <c>init-id</c>; None when the file is absent.</param>
/// <param name="Parent">From <c>parent</c>: the image's top layer; None when absent.</param>
public sealed record MountFolder(string Name, string Folder, MountID MountID, Option<InitID> InitID, Option<ChainID> Parent);

/// <summary>Parses a mount folder as <c>loadMount</c> does: <c>mount-id</c> required, <c>init-id</c> and
/// <c>parent</c> optional, all trimmed, first failure wins.</summary>
public static class MountFolderParser
{
    /// <summary>Parses one mount folder.</summary>
    /// <param name="name">The mount name.</param>
    /// <param name="folder">The folder relative to the docker root.</param>
    /// <param name="dir">Its raw content.</param>
    /// <param name="version">Rule set (digest case rules for <c>parent</c>).</param>
    /// <returns>Right: the parsed folder. Left: the first file that fails.</returns>
    public static Either<LayerError, MountFolder> Parse(string name, string folder, RawDirectory.Present dir, MobyVersion version) =>
        Required(dir, folder, "mount-id", ProblemKind.MountIdMissing)
            .Bind(b => MountID.Parse(Trimmed(b)).MapLeft(e => Malformed(folder + "/mount-id", ProblemKind.MountIdInvalid, b, e)))
            .Bind(mountId => Optional(dir, folder, "init-id")
                .Bind(o => o.Match(
                    None: () => Right<LayerError, Option<InitID>>(None),
                    Some: b => InitID.Parse(Trimmed(b)).Map(Some).MapLeft(e => Malformed(folder + "/init-id", ProblemKind.InitIdInvalid, b, e))))
                .Bind(initId => Optional(dir, folder, "parent")
                    .Bind(o => o.Match(
                        None: () => Right<LayerError, Option<ChainID>>(None),
                        Some: b => ChainID.Parse(Trimmed(b), version).Map(Some).MapLeft(e => Malformed(folder + "/parent", ProblemKind.MountParentInvalid, b, e))))
                    .Map(parent => new MountFolder(name, folder, mountId, initId, parent))));
}
