using LanguageExt;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>What a failing layer costs beyond layers and mounts: images and containers.</summary>
public static class CascadeCosts
{
    private static readonly System.Collections.Generic.HashSet<ProblemKind> LayerFailureKinds =
    [
        ProblemKind.LayerDirEmpty, ProblemKind.DiffIdMissing, ProblemKind.DiffIdInvalid, ProblemKind.SizeMissing, ProblemKind.SizeInvalid,
        ProblemKind.CacheIdMissing, ProblemKind.CacheIdInvalid, ProblemKind.ParentInvalid, ProblemKind.ParentLayerMissing,
        ProblemKind.DescriptorInvalid, ProblemKind.ParentCycle, ProblemKind.EntryUnreadable, ProblemKind.NotARegularFile,
        ProblemKind.FileTooLarge, ProblemKind.SymlinkOutsideRoot,
    ];

    /// <summary>
    /// Completes the <see cref="Cascade"/> of each layer failure that starts a cascade with what the cascade costs
    /// beyond layers and mounts: the images moby then skips and the containers that lose their read-write
    /// layer (moby drops them up to 29.3; 29.4+ keeps them, unable to start).
    /// </summary>
    /// <param name="version">Rule set (container wording).</param>
    /// <param name="layerDb">The layerdb snapshot (parent links of folders that did not load).</param>
    /// <param name="load">The load result whose problems are completed.</param>
    /// <param name="checks">The image and container checks.</param>
    public static LoadResult WithImageAndContainerCosts(MobyVersion version, LayerDbSnapshot layerDb, LoadResult load, RootCheckResult checks) =>
        WithImageAndContainerCosts(version, LayerDbRead.Of(layerDb, version), load, checks);

    /// <summary>As <see cref="WithImageAndContainerCosts(MobyVersion, LayerDbSnapshot, LoadResult, RootCheckResult)"/>, for a layerdb parsed as it was read.</summary>
    /// <param name="version">Rule set (container wording).</param>
    /// <param name="layerDb">The layerdb (parent links of folders that did not load).</param>
    /// <param name="load">The load result whose problems are completed.</param>
    /// <param name="checks">The image and container checks.</param>
    public static LoadResult WithImageAndContainerCosts(MobyVersion version, LayerDbRead layerDb, LoadResult load, RootCheckResult checks)
    {
        var rootCauses = load.Problems.Filter(p => LayerFailureKinds.Contains(p.Kind)).Choose(p => p.ChainId.Map(c => (c, p)))
            .GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
        var ancestors = load.Problems.Filter(p => p.Kind == ProblemKind.AncestorUnloadable).Choose(p => p.ChainId).ToHashSet();
        // The failing layer a cascade starts from: follow parent links through ancestor_unloadable layers.
        Option<ChainID> RootOf(ChainID chain)
        {
            var seen = new System.Collections.Generic.HashSet<ChainID>();
            for (var at = chain; seen.Add(at);)
            {
                if (rootCauses.ContainsKey(at)) return at;
                if (!ancestors.Contains(at) || !layerDb.Layers.Find(at).Bind(l => l.ParentLink).TrySome(out var parent)) return None;
                at = parent;
            }
            return None;
        }
        var images = checks.Images.Filter(i => !i.Loads).Choose(i => i.TopChainId).Choose(RootOf)
            .GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        var containers = new Dictionary<ChainID, int>();
        foreach (var m in load.Store.SkippedMounts.Filter(m => m.Kind == ProblemKind.MountParentUnloadable
            && checks.Containers.Find(m.Name).Exists(c => c.Fate is ContainerFate.MountNotLoaded or ContainerFate.KeptWithoutMount)))
            if (layerDb.MountFolder(m.Name).Bind(static d => d.ParentLink).Bind(RootOf).TrySome(out var root))
                containers[root] = containers.GetValueOrDefault(root) + 1;
        if (images.Count == 0 && containers.Count == 0) return load;
        Problem Extend(Problem p) =>
            p.ChainId.Filter(chain => LayerFailureKinds.Contains(p.Kind) && rootCauses[chain] == p).Match(chain => WithCosts(p, chain), () => p);
        Problem WithCosts(Problem p, ChainID chain)
        {
            var i = images.GetValueOrDefault(chain);
            var c = containers.GetValueOrDefault(chain);
            return i == 0 && c == 0 ? p : p with { Cascade = p.Cascade with { Images = i, Containers = c, ContainersKept = version.AtLeast(29, 4) } };
        }
        return load with { Problems = load.Problems.Map(Extend).Strict() };
    }
}
