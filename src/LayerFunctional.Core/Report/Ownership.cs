using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>What owns a driver folder, an ID or a path (<c>layerfn which</c>).</summary>
public enum OwnerKind
{
    /// <summary>A read-only layer (its layerdb folder or its driver content).</summary>
    Layer,
    /// <summary>A container's read-write layer (a mount).</summary>
    Mount,
    /// <summary>A container's init layer.</summary>
    InitLayer,
    /// <summary>An image config.</summary>
    Image,
    /// <summary>A driver folder that nothing references.</summary>
    Orphan,
    /// <summary>A blob of the containerd content store.</summary>
    Blob,
    /// <summary>Nothing known by that name.</summary>
    Unknown,
}

/// <summary>The answer of <c>layerfn which</c>.</summary>
/// <param name="Query">What was asked, relative to the root when it was a path.</param>
/// <param name="Kind">What owns it.</param>
/// <param name="ChainId">The layer, for layers; the mount's parent, for mounts and init layers; as text, because for the containerd store it is
/// the snapshot key of an image layer as containerd's metadata holds it (a chain ID when the store is sound).</param>
/// <param name="CacheId">The driver ID that matched, if any.</param>
/// <param name="Mount">The mount name (container ID), for mounts and init layers.</param>
/// <param name="ContainerName">The container's name, when its config was read.</param>
/// <param name="Images">Images that contain the layer (it is their top layer or below it), sorted.</param>
/// <param name="Containers">Mounts (container IDs) sitting on the layer or above it, sorted.</param>
/// <param name="Note">One line for people.</param>
public sealed record Owner(
    string Query, OwnerKind Kind, Option<string> ChainId, Option<string> CacheId, Option<MountName> Mount,
    Option<string> ContainerName, Seq<string> Images, Seq<MountName> Containers, string Note);

/// <summary>Resolves a path under the root, or an ID, to its owner, from a check report. Pure.</summary>
public static class Ownership
{
    /// <summary>The overlay2 (or fuse-overlayfs) short link a path goes through, <c>&lt;driver&gt;/l/&lt;LINK&gt;</c>, when the path
    /// is <c>&lt;driver&gt;/l/&lt;LINK&gt;[/…]</c> under the chosen driver; None otherwise.</summary>
    /// <param name="relative">A path relative to the docker root.</param>
    /// <param name="driver">The chosen driver.</param>
    public static Option<string> ShortLinkOf(string relative, Option<DriverName> driver)
    {
        var parts = relative.Split('/');
        return parts.Length >= 3 && parts[1] == "l" && driver.Exists(d => DriverLayout.For(d).HasShortLinks && parts[0] == d.Value)
            ? Some(parts[0] + "/l/" + parts[2])
            : None;
    }

    /// <summary>A path through a short link as the folder it leads to: <c>&lt;driver&gt;/l/&lt;LINK&gt;[/…]</c> whose link reads
    /// <c>../&lt;id&gt;/diff</c> becomes <c>&lt;driver&gt;/&lt;id&gt;/diff[/…]</c>; a link text that leaves the driver home leaves the path as it is.</summary>
    /// <param name="relative">A path relative to the docker root, of the form <see cref="ShortLinkOf"/> accepts.</param>
    /// <param name="linkText">What the short link points to (read, not followed).</param>
    public static string ThroughShortLink(string relative, string linkText)
    {
        var parts = relative.Split('/');
        return parts.Length >= 3 && linkText.StartsWith("../", StringComparison.Ordinal) && !linkText[3..].Contains("..", StringComparison.Ordinal)
            ? parts[0] + "/" + linkText[3..] + string.Concat(parts.Skip(3).Select(p => "/" + p))
            : relative;
    }

    /// <summary>Finds the owner of <paramref name="query"/>: a loaded layer, mount, init layer or image
    /// (<see cref="FindLoaded"/>), else an orphan driver folder, a layer or mount moby skips, a container config without a
    /// loaded mount, or nothing (<see cref="OwnerKind.Unknown"/>).</summary>
    /// <param name="report">A check report with a loaded layerdb.</param>
    /// <param name="query">A path relative to the root (<c>overlay2/&lt;id&gt;/diff/etc/x</c>,
    /// <c>image/overlay2/layerdb/sha256/&lt;hex&gt;</c>), a ChainID (<c>sha256:…</c> or bare hex), a cache ID, mount ID,
    /// init ID, container ID or image ID, or a unique prefix of at least 6 characters of one.</param>
    public static Owner Find(CheckReport report, string query) =>
        FindLoaded(report, query).IfNone(() => FindElse(report, query));

    /// <summary>The orphan driver folder that <see cref="Find"/> answers <paramref name="query"/> with, so that the shell
    /// measures only that folder (the answer prints its size).</summary>
    /// <param name="report">A check report whose orphan problems need not carry sizes yet.</param>
    /// <param name="query">As for <see cref="Find"/>.</param>
    /// <returns>Some(path relative to the root) when the answer is <see cref="OwnerKind.Orphan"/>; None otherwise.</returns>
    public static Option<string> OrphanFolder(CheckReport report, string query) =>
        FindLoaded(report, query).IsSome ? None : OrphanOf(report, IdOf(report, query)).Map(p => p.Path);

    /// <summary>The report with the bytes the shell measured under the orphan driver folder <paramref name="path"/>
    /// (<see cref="OrphanFolder"/>) on its <c>orphan_driver_dir</c> finding.</summary>
    /// <param name="report">A check report.</param>
    /// <param name="path">The orphan folder, relative to the root.</param>
    /// <param name="bytes">Apparent bytes under it.</param>
    public static CheckReport WithOrphanBytes(CheckReport report, string path, long bytes) =>
        report with
        {
            Problems = Problem.WithMeasuredBytes(report.Problems, ProblemKind.OrphanDriverDir, new Dictionary<string, long>(StringComparer.Ordinal) { [path] = bytes }),
        };

    /// <summary>The owner of <paramref name="query"/> among what loads: layers (by chain ID or cache ID), mounts (by name
    /// or mount ID), init layers and images, exact matches before unique prefixes; an ambiguous prefix is answered too.
    /// Needs only the report's driver, layerdb path, store, images and containers (no other check's result).</summary>
    /// <param name="report">A check report, or a lookup's partial report holding at least those parts.</param>
    /// <param name="query">As for <see cref="Find"/>.</param>
    /// <returns>Some(owner) when anything loaded matches; None when nothing does (then orphans, skipped layers and
    /// mounts, and container configs decide).</returns>
    public static Option<Owner> FindLoaded(CheckReport report, string query)
    {
        var driver = report.Driver.Name.IfNone(DriverName.Overlay2);
        var id = IdOf(report, query);
        var layers = report.Store.Layers;
        var graph = LayerGraph.Of(report.Store);
        // Whether layer `chain` is `top` or below it, both loaded.
        bool Under(ChainID chain, ChainID top) =>
            graph.IndexOf(chain).Exists(c => graph.IndexOf(top).Exists(t => graph.IsAncestorOrSelf(c, t)));

        Seq<string> ImagesWith(ChainID chain) => report.Images
            .Filter(i => i.TopChainId.Exists(t => Under(chain, t)))
            .Map(i => i.Id).OrderBy(x => x, StringComparer.Ordinal).ToSeq().Strict();
        Seq<MountName> MountsOn(ChainID chain) => report.Store.Mounts
            .Filter(m => m.Parent.Exists(p => Under(chain, p)))
            .Map(m => m.Name).ToSeq().Strict();
        Option<string> NameOf(MountName mount) => report.Containers.Find(mount).Bind(c => c.Name);

        Owner LayerOwner(Layer l, string why) => new(query, OwnerKind.Layer, l.ChainID.ToString(), l.CacheID.Value, None, None,
            ImagesWith(l.ChainID), MountsOn(l.ChainID), why);
        Owner MountOwner(Mount m, bool init) => new(query, init ? OwnerKind.InitLayer : OwnerKind.Mount,
            m.Parent.Map(p => p.ToString()), init ? m.InitID.Map(i => i.Value) : m.MountID.Value, m.Name, NameOf(m.Name),
            m.Parent.Map(ImagesWith).IfNone(Empty), Seq1(m.Name),
            (init ? "init layer of container " : "read-write layer of container ") + NameOf(m.Name).IfNone(m.Name.Value));

        // Exact matches first, then unique prefixes.
        foreach (var exact in new[] { true, false })
        {
            bool Match(string candidate) => exact ? candidate == id : IsPrefixQuery(id) && candidate.StartsWith(id, StringComparison.Ordinal);
            var found = new List<Owner>();
            found.AddRange(layers.Filter(l => Match(l.ChainID.ToString()) || Match(l.ChainID.Digest.Encoded)).Map(l => LayerOwner(l, "layer " + l.ChainID)));
            found.AddRange(layers.Filter(l => Match(l.CacheID.Value)).Map(l => LayerOwner(l, $"content of layer {l.ChainID} ({driver} cache ID)")));
            found.AddRange(report.Store.Mounts.Filter(m => Match(m.MountID.Value) || Match(m.Name.Value)).Map(m => MountOwner(m, false)));
            found.AddRange(report.Store.Mounts.Filter(m => m.InitID.Exists(i => Match(i.Value))).Map(m => MountOwner(m, true)));
            found.AddRange(report.Images.Filter(i => Match(i.Id) || Match(i.Id[7..])).Map(i => new Owner(query, OwnerKind.Image,
                i.TopChainId.Map(t => t.ToString()), None, None, None, Seq1(i.Id), Empty,
                i.Loads ? "image " + i.Id : $"image {i.Id} (moby does not restore it)")));
            var distinct = found.DistinctBy(o => (o.Kind, o.ChainId, o.Mount, o.CacheId)).ToList();
            // A prefix of a mount ID also matches its "-init": the read-write layer is meant.
            if (distinct.Count == 2 && distinct.All(o => o.Mount == distinct[0].Mount) && distinct.Any(o => o.Kind == OwnerKind.Mount))
                return distinct.First(o => o.Kind == OwnerKind.Mount);
            if (distinct.Count == 1) return distinct[0];
            if (distinct.Count > 1)
                return new Owner(query, OwnerKind.Unknown, None, None, None, None, Empty, Empty,
                    $"ambiguous: {distinct.Count} objects match {id}; give more characters");
        }
        return None;
    }

    /// <summary>Whether <paramref name="id"/> may stand for an ID by a prefix: at least 6 characters of the ID itself, so
    /// <c>sha256</c> or <c>sha256:3f</c> (the algorithm and 2 characters) matches nothing by prefix.</summary>
    internal static bool IsPrefixQuery(string id) =>
        !"sha256:".StartsWith(id, StringComparison.Ordinal)
        && (id.StartsWith("sha256:", StringComparison.Ordinal) ? id.Length - "sha256:".Length : id.Length) >= 6;

    // The orphan problem naming a driver ID or path.
    private static Option<Problem> OrphanOf(CheckReport report, string id) =>
        report.Problems.Find(p => p.Kind == ProblemKind.OrphanDriverDir && (p.CacheId == Some(id) || p.Path == id));

    // What Find answers when nothing loaded matches.
    private static Owner FindElse(CheckReport report, string query)
    {
        var id = IdOf(report, query);
        if (OrphanOf(report, id).TrySome(out var o))
            return new Owner(query, OwnerKind.Orphan, None, o.CacheId, None, None, Empty, Empty,
                $"nothing references {o.Path}: an orphan driver folder ({o.Bytes.IfNone(0)} bytes)");
        var unregistered = report.Problems.Find(p => p.Kind == ProblemKind.UnregisteredDriverDir && (p.CacheId == Some(id) || p.Path == id));
        if (unregistered.TrySome(out var u))
        {
            var containerName = u.Mount.Bind(m => report.Containers.Find(m).Bind(c => c.Name));
            switch (u.Fact)
            {
                case Fact.UnregisteredFolder uf:
                    return new Owner(query, OwnerKind.Mount, None, u.CacheId, u.Mount, containerName, Empty, u.Mount.ToSeq(),
                        $"a folder of container {containerName.IfNone(u.Mount.Map(static m => m.Value).IfNone(""))} that moby does not use ({uf.NamedBy} names it): repair that mount's ID file, do not delete it");
                case Fact.ContainerFolderUnregistered cf:
                    return new Owner(query, OwnerKind.Mount, None, u.CacheId, u.Mount, containerName, Empty, u.Mount.ToSeq(),
                        $"a folder of container {containerName.IfNone(cf.Container.Value)} that moby does not use (its mount folder is gone): re-create the mount folder, do not delete it");
                case Fact.LayerFolderUnregistered lf:
                    return new Owner(query, OwnerKind.Layer, lf.Layer.ToString(), u.CacheId, None, None, Empty, Empty,
                        $"the content of layer {lf.Layer}, which moby does not load ({lf.CacheIdFile} is missing or blank; {lf.LowerFile} places it): write its cache-id, do not delete it");
            }
        }
        bool Named(string candidate) => candidate == id || (IsPrefixQuery(id) && candidate.StartsWith(id, StringComparison.Ordinal));
        var skipped = report.Store.SkippedLayers.Filter(s => Named(s.ChainID.ToString()) || Named(s.ChainID.Digest.Encoded));
        if (skipped.Count == 1 && skipped.Head is var sl)
            return new Owner(query, OwnerKind.Layer, sl.ChainID.ToString(), None, None, None, Empty, Empty,
                $"layer {sl.ChainID}, which moby does not load ({sl.Kind.Id()} at {sl.Path})");
        var skippedMount = report.Store.SkippedMounts.Filter(m => Named(m.Name.Value));
        if (skippedMount.Count == 1 && skippedMount.Head is var sm)
            return new Owner(query, OwnerKind.Mount, None, None, sm.Name, report.Containers.Find(sm.Name).Bind(c => c.Name), Empty, Seq1(sm.Name),
                $"mount {sm.Name}, which moby does not load ({sm.Kind.Id()} at {sm.Path})");
        var container = report.Containers.Values.Filter(c => Named(c.Id.Value)).ToSeq();
        if (container.Count == 1 && container.Head is var ci)
            return new Owner(query, OwnerKind.Mount, None, None, ci.Id, ci.Name, Empty, Empty,
                $"container {ci.Name.IfNone(ci.Id.Value)} has a config but no loaded mount");
        return new Owner(query, OwnerKind.Unknown, None, None, None, None, Empty, Empty,
            query.StartsWith('/') ? $"{query} is not under the docker root" : $"nothing in this root is named {id}");
    }

    /// <summary>The driver ID or layerdb name a path or ID stands for, under the report's driver and layerdb.</summary>
    private static string IdOf(CheckReport report, string query)
    {
        var driver = report.Driver.Name.IfNone(DriverName.Overlay2);
        return IdOf(query.Trim().Trim('/'), driver, DriverLayout.For(driver), report.LayerDb.IfNone("image/" + driver + "/layerdb"));
    }

    /// <summary>The driver ID or layerdb name a path or ID stands for.</summary>
    private static string IdOf(string query, DriverName driver, DriverLayout layout, string layerDb)
    {
        var parts = query.Split('/');
        if (parts.Length >= 2 && parts[0] == "containers") return parts[1];
        var imageDb = layerDb[..^"layerdb".Length] + "imagedb/content/sha256/";
        if (query.StartsWith(imageDb, StringComparison.Ordinal)) return "sha256:" + query[imageDb.Length..].Split('/')[0];
        if (query.StartsWith(layerDb + "/sha256/", StringComparison.Ordinal) && parts.Length > layerDb.Split('/').Length + 1)
            return "sha256:" + parts[layerDb.Split('/').Length + 1];
        if (query.StartsWith(layerDb + "/mounts/", StringComparison.Ordinal) && parts.Length > layerDb.Split('/').Length + 1)
            return parts[layerDb.Split('/').Length + 1];
        if (parts.Length >= 2 && parts[0] == driver.Value)
        {
            var sub = layout.IdFolders.Find(f => f.Length > 0 && parts.Length >= 3 && parts[1] == f);
            return sub.IsSome ? parts[2] : parts[1];
        }
        return query;
    }
}
