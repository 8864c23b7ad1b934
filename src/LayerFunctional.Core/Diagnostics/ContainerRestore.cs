using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>What moby's container restore (daemon/daemon.go <c>restore</c>) does with one <c>containers/&lt;id&gt;</c> folder.</summary>
public enum ContainerFate
{
    /// <summary>Registered with its read-write layer: <c>docker ps -a</c> lists it.</summary>
    Restored,
    /// <summary>29.4+: registered without a read-write layer (its mount did not load): listed, can only be removed.</summary>
    KeptWithoutMount,
    /// <summary>"failed to load container": <c>config.v2.json</c> or <c>hostconfig.json</c> cannot be read or decoded, its ID
    /// is not the folder's name, or (18.02 to 23.x) its OS is not linux.</summary>
    NotLoaded,
    /// <summary>Created with another graph driver: ignored (debug log only).</summary>
    OtherDriver,
    /// <summary>To 29.3: "failed to load container mount": no mount of its name loaded, so it is dropped.</summary>
    MountNotLoaded,
    /// <summary>Its name is also another container's: moby registers whichever comes first and drops the rest.</summary>
    NameConflict,
    /// <summary>Decodes, but a nil <c>Config</c>, <c>State</c> or host config is dereferenced: the daemon panics at start-up.</summary>
    CrashesDaemon,
}

/// <summary>What <c>containers/&lt;id&gt;/config.v2.json</c> says about a container, and what moby's restore makes of it.</summary>
/// <param name="Id">The container ID (folder name).</param>
/// <param name="Name">Its name, e.g. <c>/web-1</c>.</param>
/// <param name="Image">Its image ID.</param>
/// <param name="Driver">The graph driver it was created with.</param>
public sealed record ContainerInfo(MountName Id, Option<string> Name, Option<string> Image, Option<DriverName> Driver)
{
    /// <summary>What the restore does with it.</summary>
    public ContainerFate Fate { get; init; }

    /// <summary>True when the daemon lists it after start-up (<see cref="ContainerFate.Restored"/> or
    /// <see cref="ContainerFate.KeptWithoutMount"/>).</summary>
    public bool Listed => Fate is ContainerFate.Restored or ContainerFate.KeptWithoutMount;
}

/// <summary>The containers of a root and what their restore costs.</summary>
/// <param name="Containers">Every container folder, by ID (ordinal).</param>
/// <param name="Problems">container_* and mount_without_container problems.</param>
/// <param name="DaemonCrashes">True when a container makes the daemon panic during the restore.</param>
public sealed record ContainerRestoreResult(Seq<ContainerInfo> Containers, Seq<Problem> Problems, bool DaemonCrashes);

/// <summary>
/// moby's container restore for the graph-driver store, per release (layer-store.md §7.3; daemon/daemon.go
/// <c>restore</c>, daemon/container.go <c>load</c> and <c>Register</c>, container/container.go <c>FromDisk</c> and
/// <c>readHostConfig</c>, daemon/names.go <c>registerName</c>; read at v17.06.0-ce, v18.09.0, v20.10.24, v23.0.0,
/// v28.0.0, docker-v29.0.0 and docker-v29.4.0). In order, for each <c>containers/&lt;id&gt;</c> folder:
/// decode <c>config.v2.json</c> and <c>hostconfig.json</c> (a failure skips it; a <c>null</c> host config panics in
/// <c>InitDNSHostConfig</c>); the ID must equal the folder name; 18.02 to 23.x skip an OS other than linux; a container
/// of another driver is ignored; its mount must have loaded (29.4+ keeps it without one); a nil <c>State</c> panics
/// (18.02+ when the "loaded container" line is logged; 17.x when registered); <c>registerName</c> rejects a name another
/// container holds (its <c>validateID</c> only rejects an empty ID, which the folder-name check already excludes); <c>Register</c> panics on a nil <c>Config</c>.
/// Not modelled: running or paused containers (the restore then talks to containerd and networking).
/// Pure.
/// </summary>
public static class ContainerRestore
{
    private sealed record Candidate(ContainerFolderRead Folder, ContainerConfigFields Fields, string NetworkMode);

    /// <summary>Restores the containers of a root as moby would.</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="driver">The chosen graph driver.</param>
    /// <param name="layerDbPath">The layerdb, relative to the root (for mount paths).</param>
    /// <param name="listedMounts">Names of the mount folders moby lists.</param>
    /// <param name="loadedMounts">Names of the mounts that loaded.</param>
    /// <param name="folders">The container folders; None when <c>containers/</c> is absent.</param>
    public static ContainerRestoreResult Run(MobyVersion version, DriverName driver, string layerDbPath, Seq<MountName> listedMounts,
        Seq<MountName> loadedMounts, Option<Seq<ContainerConfigFile>> folders) =>
        Run(version, driver, layerDbPath, listedMounts, loadedMounts, folders.Map(all => all.Map(ContainerFolderRead.Of).Strict()));

    /// <summary>Restores the containers of a root as moby would, from container folders decoded as they were read.</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="driver">The chosen graph driver.</param>
    /// <param name="layerDbPath">The layerdb, relative to the root (for mount paths).</param>
    /// <param name="listedMounts">Names of the mount folders moby lists.</param>
    /// <param name="loadedMounts">Names of the mounts that loaded.</param>
    /// <param name="folders">The container folders; None when <c>containers/</c> is absent.</param>
    public static ContainerRestoreResult Run(MobyVersion version, DriverName driver, string layerDbPath, Seq<MountName> listedMounts,
        Seq<MountName> loadedMounts, Option<Seq<ContainerFolderRead>> folders)
    {
        if (!folders.TrySome(out var all)) return new ContainerRestoreResult(Empty, Empty, false);
        var listed = listedMounts.ToHashSet();
        var loaded = loadedMounts.ToHashSet();
        var problems = new List<Problem>();
        var infos = new Dictionary<MountName, ContainerInfo>();
        var named = new List<Candidate>();
        var folderIds = all.Map(f => f.Id).ToHashSet();
        foreach (var name in listedMounts.OrderBy(n => n).Where(n => !folderIds.Contains(n)))
            problems.Add(new Problem(ProblemKind.MountWithoutContainer, Severity.Warning, layerDbPath + "/mounts/" + name, None, name, None,
                new Fact.MountWithoutContainer()));
        foreach (var folder in all.OrderBy(f => f.Id))
        {
            var dir = "containers/" + folder.Id;
            var decoded = folder.Read;
            var info = decoded is ContainerConfigRead.Fields d
                ? new ContainerInfo(folder.Id, NonEmpty(d.Value.Name), NonEmpty(d.Value.Image), Some(d.Value.Driver))
                : new ContainerInfo(folder.Id, None, None, None);
            ContainerFate Fate(ContainerFate fate, ProblemKind kind, string path, Fact fact)
            {
                problems.Add(new Problem(kind, kind.DefaultSeverity(), path, None, folder.Id, None, fact));
                return fate;
            }
            var fate = decoded switch
            {
                ContainerConfigRead.Fault f => Fate(ContainerFate.NotLoaded, f.Kind, dir + "/" + f.File, new Fact.ContainerConfigFault(f.Why)),
                ContainerConfigRead.NilHostConfig => Fate(ContainerFate.CrashesDaemon, ProblemKind.ContainerCrashesDaemon, dir + "/hostconfig.json",
                    new Fact.ContainerCrashesDaemon(DaemonPanic.NullHostConfig, IfRegistersFirst: false)),
                ContainerConfigRead.Fields f => Restore(f.Value, f.NetworkMode),
                _ => throw new InvalidOperationException("unreachable"),
            };
            infos[folder.Id] = info with { Fate = fate };

            ContainerFate Restore(ContainerConfigFields c, string networkMode)
            {
                if (c.Id != folder.Id)
                    return Fate(ContainerFate.NotLoaded, ProblemKind.ContainerConfigInvalid, dir + "/config.v2.json",
                        new Fact.ContainerIdMismatch(c.Id, folder.Id));
                if (version.AtLeast(18, 2) && !version.AtLeast(24) && !string.Equals(c.OS, "linux", StringComparison.OrdinalIgnoreCase))
                    return Fate(ContainerFate.NotLoaded, ProblemKind.ContainerConfigInvalid, dir + "/config.v2.json",
                        new Fact.ContainerOsUnsupported(c.OS));
                if (!(c.Driver == driver || (c.Driver.Value.Length == 0 && driver == "aufs"))) return ContainerFate.OtherDriver;
                var hasMount = loaded.Contains(c.Id);
                if (!listed.Contains(c.Id))
                    problems.Add(new Problem(ProblemKind.ContainerWithoutMount, Severity.Error, dir, None, c.Id, None,
                        new Fact.ContainerWithoutMount(c.Name, c.Id, layerDbPath, Kept: version.AtLeast(29, 4))));
                if (!hasMount && !version.AtLeast(29, 4)) return ContainerFate.MountNotLoaded;
                if (!c.HasState && version.AtLeast(18, 2))
                    return Fate(ContainerFate.CrashesDaemon, ProblemKind.ContainerCrashesDaemon, dir + "/config.v2.json",
                        new Fact.ContainerCrashesDaemon(DaemonPanic.NullStateAtRestore, IfRegistersFirst: false));
                named.Add(new Candidate(folder, c, networkMode));
                return hasMount ? ContainerFate.Restored : ContainerFate.KeptWithoutMount;
            }
        }

        // registerName, then Register, for the containers that got this far.
        var crashes = infos.Values.Any(i => i.Fate == ContainerFate.CrashesDaemon);
        foreach (var group in named.Where(c => c.Fields.Name.Length > 0).GroupBy(c => c.Fields.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            foreach (var c in group)
            {
                infos[c.Folder.Id] = infos[c.Folder.Id] with { Fate = ContainerFate.NameConflict };
                problems.Add(new Problem(ProblemKind.ContainerNameConflict, Severity.Error, $"containers/{c.Folder.Id}/config.v2.json", None, c.Folder.Id, None,
                    new Fact.ContainerNameConflict(group.Count(), c.Fields.Name)));
            }
        // 27.0+: after Register, the "default" network mode is migrated through c.NetworkSettings.Networks (daemon/daemon.go).
        bool NilNetworkSettings(Candidate c) => version.AtLeast(27) && !c.Fields.HasNetworkSettings && c.NetworkMode == "default";
        foreach (var c in named.Where(c => !c.Fields.HasConfig || (!c.Fields.HasState && !version.AtLeast(18, 2)) || NilNetworkSettings(c)))
        {
            crashes = true;
            var conflict = infos[c.Folder.Id].Fate == ContainerFate.NameConflict;
            infos[c.Folder.Id] = infos[c.Folder.Id] with { Fate = ContainerFate.CrashesDaemon };
            var cause = !c.Fields.HasConfig ? DaemonPanic.NoConfigObject : !c.Fields.HasState ? DaemonPanic.NoStateObject : DaemonPanic.NilNetworkSettings;
            problems.Add(new Problem(ProblemKind.ContainerCrashesDaemon, Severity.Error, $"containers/{c.Folder.Id}/config.v2.json", None, c.Folder.Id, None,
                new Fact.ContainerCrashesDaemon(cause, IfRegistersFirst: conflict)));
        }
        return new ContainerRestoreResult(infos.Values.OrderBy(i => i.Id).ToSeq().Strict(), problems.ToSeq().Strict(), crashes);
    }

    private static Option<string> NonEmpty(string s) => s.Length > 0 ? Some(s) : None;
}

/// <summary>What moby's <c>FromDisk</c> makes of a container folder: its fields (with the host config's network mode),
/// a nil host config, or the error that skips the container.</summary>
public abstract record ContainerConfigRead
{
    private ContainerConfigRead() { }

    /// <summary>Both files decode.</summary>
    /// <param name="Value">The fields of <c>config.v2.json</c> the restore looks at.</param>
    /// <param name="NetworkMode"><c>hostconfig.json</c>'s <c>NetworkMode</c> (empty when the file is absent).</param>
    public sealed record Fields(ContainerConfigFields Value, string NetworkMode) : ContainerConfigRead;

    /// <summary>A file that does not read or decode: moby skips the container.</summary>
    /// <param name="Kind">The problem kind.</param>
    /// <param name="File"><c>config.v2.json</c> or <c>hostconfig.json</c>.</param>
    /// <param name="Why">What is wrong.</param>
    public sealed record Fault(ProblemKind Kind, string File, string Why) : ContainerConfigRead;

    /// <summary><c>hostconfig.json</c> holds <c>null</c>: moby dereferences it and panics.</summary>
    public sealed record NilHostConfig : ContainerConfigRead;
}

/// <summary>One <c>containers/&lt;id&gt;/</c> folder decoded as it was read (its bytes dropped).</summary>
/// <param name="Id">The folder name.</param>
/// <param name="Read">What moby's <c>FromDisk</c> makes of it.</param>
public sealed record ContainerFolderRead(MountName Id, ContainerConfigRead Read)
{
    /// <summary>Decodes a folder as moby's <c>FromDisk</c> does: <c>config.v2.json</c>, then <c>hostconfig.json</c>
    /// (absent is an empty host config).</summary>
    /// <param name="folder">The files as read.</param>
    public static ContainerFolderRead Of(ContainerConfigFile folder)
    {
        var config = folder.Config.Match(
            Some: file => file switch
            {
                RawFile.Content c => GoContainerJson.Decode(c.Bytes).Match<ContainerConfigRead>(
                    // The ID the config names is usually the folder's name: that one instance is kept.
                    Right: f => new ContainerConfigRead.Fields(f.Id == folder.Id ? f with { Id = folder.Id } : f, ""),
                    Left: why => new ContainerConfigRead.Fault(ProblemKind.ContainerConfigInvalid, "config.v2.json", "config.v2.json: " + why)),
                _ => new ContainerConfigRead.Fault(ProblemKind.ContainerConfigInvalid, "config.v2.json", "config.v2.json cannot be read: " + RawFiles.Reason(file)),
            },
            None: () => new ContainerConfigRead.Fault(ProblemKind.ContainerConfigInvalid, "config.v2.json", "config.v2.json is missing"));
        if (config is not ContainerConfigRead.Fields fields) return new ContainerFolderRead(folder.Id, config);
        return new ContainerFolderRead(folder.Id, folder.HostConfig.Match(
            Some: file => file switch
            {
                RawFile.Content c => GoContainerJson.DecodeHostConfig(c.Bytes).Match<ContainerConfigRead>(
                    Right: host => host.Match<ContainerConfigRead>(Some: h => fields with { NetworkMode = h.NetworkMode }, None: () => new ContainerConfigRead.NilHostConfig()),
                    Left: why => new ContainerConfigRead.Fault(ProblemKind.ContainerHostConfigInvalid, "hostconfig.json", "hostconfig.json: " + why)),
                _ => new ContainerConfigRead.Fault(ProblemKind.ContainerHostConfigInvalid, "hostconfig.json", "hostconfig.json cannot be read: " + RawFiles.Reason(file)),
            },
            None: () => config));
    }
}
