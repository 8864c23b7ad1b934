using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Generation;

/// <summary>One problem a check must report: its kind and the path (relative to the root) it names.</summary>
/// <param name="Kind">The problem kind.</param>
/// <param name="Path">The <c>path</c> field of the report.</param>
public sealed record ExpectedProblem(ProblemKind Kind, string Path);

/// <summary>
/// What a check of a generated root must report: exactly these problems (nothing else), these layers
/// and mounts failing to load themselves (their descendants and mounts follow, as moby's load does),
/// under this explicit driver and rule set.
/// </summary>
/// <param name="Problems">Every problem, in the report's order (path, then kind, ordinal).</param>
/// <param name="UnloadableLayers">Layers whose own folder makes moby skip them.</param>
/// <param name="UnloadableMounts">Mounts whose own folder makes moby skip them.</param>
/// <param name="Driver">The driver to name (<c>--driver</c>); None for moby's own choice.</param>
/// <param name="Moby">The rule set to check under.</param>
/// <param name="NothingLoads">True when the layerdb is not loaded at all (the daemon refuses to start,
/// or the root holds no layerdb for the chosen driver).</param>
public sealed record Expectation(Seq<ExpectedProblem> Problems, Seq<ChainID> UnloadableLayers, Seq<MountName> UnloadableMounts,
    Option<DriverName> Driver, MobyVersion Moby, bool NothingLoads)
{
    /// <summary>True when a corruption shows only with content verification (<c>check --content</c>): the check must
    /// then run with it, and <see cref="Problems"/> already includes <see cref="IfContent"/>.</summary>
    public bool NeedsContent { get; init; }

    /// <summary>Problems that appear only when content is verified (e.g. a recorded diff ID that the files do not hash
    /// to); merged into <see cref="Problems"/> when <see cref="NeedsContent"/> is set.</summary>
    public Seq<ExpectedProblem> IfContent { get; init; }

    /// <summary>A valid root: no problems, everything loads, moby's own driver choice, the default rules.</summary>
    public static Expectation Healthy { get; } = new(Empty, Empty, Empty, None, MobyVersion.Default, false);

    /// <summary>moby's load result for <paramref name="root"/> under this expectation, from the model's facts alone:
    /// a layer loads when neither it nor an ancestor is unloadable; its reference count is the number of loaded
    /// layers on it plus loaded mounts on it; a mount loads when it is not unloadable and its parent loads.</summary>
    /// <param name="root">A generated root (its <see cref="GeneratedRoot.Layers"/> and <see cref="GeneratedRoot.Mounts"/>).</param>
    public ExpectedLoad LoadOf(GeneratedRoot root)
    {
        if (NothingLoads) return new ExpectedLoad(Empty, Empty, Empty, Empty);
        var byChain = root.Layers.ToDictionary(l => l.ChainID.ToString(), StringComparer.Ordinal);
        var broken = UnloadableLayers.Map(c => c.ToString()).ToHashSet(StringComparer.Ordinal);
        bool Loads(GeneratedLayer l)
        {
            for (var at = Some(l); at.TrySome(out var x); at = x.Parent.Bind(p => byChain.TryGetValue(p.ToString(), out var y) ? Some(y) : None))
                if (broken.Contains(x.ChainID.ToString())) return false;
            return true;
        }
        var loaded = root.Layers.Filter(Loads).Strict();
        var loadedChains = loaded.Map(l => l.ChainID.ToString()).ToHashSet(StringComparer.Ordinal);
        // A mount whose folder a corrupter removed is neither loaded nor skipped: moby never lists it.
        var mountsPrefix = RootGenerator.LayerDb + "/mounts/";
        var listedMounts = root.Entries.Map(e => e.Path).Filter(p => p.StartsWith(mountsPrefix, StringComparison.Ordinal))
            .Map(p => new MountName(p[mountsPrefix.Length..].Split('/')[0])).ToHashSet();
        var present = root.Mounts.Filter(m => listedMounts.Contains(m.Name)).Strict();
        var mounts = present.Filter(m => !UnloadableMounts.Contains(m.Name) && loadedChains.Contains(m.Parent.ToString())).Strict();
        var layers = loaded.Map(l => (l.ChainID,
            loaded.Count(c => c.Parent == Some(l.ChainID)) + mounts.Count(m => m.Parent == l.ChainID))).Strict();
        return new ExpectedLoad(layers, root.Layers.Filter(l => !loadedChains.Contains(l.ChainID.ToString())).Map(l => l.ChainID).Strict(),
            mounts.Map(m => m.Name).Strict(),
            present.Filter(m => !mounts.Exists(x => x.Name == m.Name)).Map(m => m.Name).Strict());
    }
}

/// <summary>What <c>layerfn generate</c> is asked for: the inverse of <see cref="GeneratedRoot.CommandLine"/>.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Options">Sizes.</param>
/// <param name="Corruptions">Corrupter kinds, in order.</param>
public sealed record GenerateRequest(long Seed, GeneratorOptions Options, Seq<ProblemKind> Corruptions)
{
    /// <summary>Parses the arguments after the folder: <c>--seed N --layers N --mounts N --images N [--file-size N] [--corrupt KIND]…</c>.</summary>
    /// <param name="arguments">Space-separated arguments, as a replay line prints them.</param>
    /// <returns>Left: the first argument that is unknown or not a number, or a kind without a corrupter.</returns>
    public static Either<string, GenerateRequest> Parse(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var request = new GenerateRequest(0, new GeneratorOptions(), Empty);
        if (words.Length % 2 != 0) return $"argument {words[^1]} has no value";
        for (var i = 0; i < words.Length; i += 2)
        {
            var (name, value) = (words[i], words[i + 1]);
            var number = long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? Some(n) : None;
            if (name is not ("--seed" or "--layers" or "--mounts" or "--images" or "--file-size" or "--corrupt")) return $"unknown argument {name}";
            if (name != "--corrupt" && (number.IsNone || (name != "--seed" && (n < 0 || n > int.MaxValue))))
                return $"{name} needs a number, not {value}";
            Option<GenerateRequest> next = name switch
            {
                "--seed" => request with { Seed = n },
                "--layers" => request with { Options = request.Options with { Layers = (int)n } },
                "--mounts" => request with { Options = request.Options with { Mounts = (int)n } },
                "--images" => request with { Options = request.Options with { Images = (int)n } },
                "--file-size" => request with { Options = request.Options with { FileSize = (int)n } },
                "--corrupt" => Corrupters.ParseKind(value).Map(k => request with { Corruptions = request.Corruptions.Add(k) }),
                _ => None,
            };
            if (!next.TrySome(out var r)) return $"unknown kind {value}";
            request = r;
        }
        return request;
    }

    /// <summary>The root it asks for (<see cref="Corrupters.Generate"/>).</summary>
    public Either<string, GeneratedRoot> Generate() => Corrupters.Generate(Seed, Options, Corruptions);
}

/// <summary>The load result a generated root must give.</summary>
/// <param name="Layers">Loaded layers with their reference counts, by chain ID (ordinal).</param>
/// <param name="SkippedLayers">Layers moby skips, by chain ID.</param>
/// <param name="Mounts">Loaded mount names, ordinal.</param>
/// <param name="SkippedMounts">Skipped mount names, ordinal.</param>
public sealed record ExpectedLoad(Seq<(ChainID ChainID, int ReferenceCount)> Layers, Seq<ChainID> SkippedLayers, Seq<MountName> Mounts, Seq<MountName> SkippedMounts);

/// <summary>
/// One-fault corrupters, one per problem kind a root can show (report.md): each takes a valid generated root
/// and a random generator and returns the root with one fault and the exact problems and load result that
/// fault must produce. Faults are applied to items the corrupter adds itself (a fresh leaf layer, a fresh
/// two-layer chain, a fresh container on an existing image), so several corrupters stack without touching
/// each other's expectations. Kinds that change the whole root (driver state, a missing layerdb) are
/// <see cref="Exclusive"/>: they cannot be stacked.
/// Not covered: <c>entry_unreadable</c> (needs file permissions the model does not carry). The
/// <c>layer_content_mismatch</c> corrupter sets <see cref="Expectation.NeedsContent"/>: its root must be checked with
/// content verification (other corrupters add what content verification then also reports to <see cref="Expectation.IfContent"/>).
/// </summary>
public static class Corrupters
{
    private const string Db = RootGenerator.LayerDb;

    private delegate (GeneratedRoot Root, SeededRandom Next) Corrupt(GeneratedRoot root, SeededRandom r);

    private sealed record Corrupter(Corrupt Apply, bool IsExclusive = false);

    /// <summary>Every kind that has a corrupter, ordinal by its report id.</summary>
    public static Seq<ProblemKind> Kinds => Table.Keys.OrderBy(k => k.Id(), StringComparer.Ordinal).ToSeq().Strict();

    /// <summary>Kinds that change the whole root and cannot be stacked with others.</summary>
    public static Seq<ProblemKind> Exclusive => Kinds.Filter(k => Table[k].IsExclusive).Strict();

    /// <summary>Generates a root from a seed and applies the corruptions in order, all from the same seed:
    /// byte for byte the same result for the same arguments.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="options">Sizes of the valid root.</param>
    /// <param name="corruptions">Problem kinds to produce (may repeat; empty for a valid root).</param>
    /// <returns>Left: a kind without a corrupter, or an exclusive kind stacked with another.</returns>
    public static Either<string, GeneratedRoot> Generate(long seed, GeneratorOptions options, Seq<ProblemKind> corruptions)
    {
        if (corruptions.Find(k => !Table.ContainsKey(k)).TrySome(out var missing))
            return $"no corrupter for {missing.Id()} (it needs file permissions the generator does not write)";
        if (corruptions.Count > 1 && corruptions.Find(k => Table[k].IsExclusive).TrySome(out var exclusive))
            return $"{exclusive.Id()} changes the whole root and cannot be stacked with other corruptions";
        var (root, r) = RootGenerator.GenerateWithRandom(seed, options);
        foreach (var kind in corruptions)
        {
            (root, r) = Table[kind].Apply(root, r);
            root = root with { Corruptions = root.Corruptions.Add(kind) };
        }
        return root with
        {
            Expected = root.Expected with
            {
                Problems = (root.Expected.NeedsContent ? root.Expected.Problems + root.Expected.IfContent : root.Expected.Problems)
                    .OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Kind.Id(), StringComparer.Ordinal).ToSeq().Strict(),
            },
        };
    }

    /// <summary>Parses a kind as written on the command line (<c>size_invalid</c>).</summary>
    /// <param name="id">A report id.</param>
    public static Option<ProblemKind> ParseKind(string id) =>
        Enum.GetValues<ProblemKind>().Find(k => k.Id() == id);

    // ---- building blocks ----------------------------------------------------------------------------

    private static GeneratedRoot Expect(GeneratedRoot root, Seq<(ProblemKind, string)> problems,
        Option<ChainID> unloadable = default, Option<MountName> unloadableMount = default) =>
        root with
        {
            Expected = root.Expected with
            {
                Problems = root.Expected.Problems.Concat(problems.Map(p => new ExpectedProblem(p.Item1, p.Item2))).Strict(),
                UnloadableLayers = root.Expected.UnloadableLayers.Concat(unloadable.ToSeq()).Strict(),
                // Add, not Seq's Concat: ILC 10.0.12 crashes (SIGSEGV) compiling LanguageExt's SeqConcat<T>.Fold for T = MountName.
                UnloadableMounts = unloadableMount.Match(Some: m => root.Expected.UnloadableMounts.Add(m), None: () => root.Expected.UnloadableMounts).Strict(),
            },
        };

    private static GeneratedRoot Write(GeneratedRoot root, string path, string text) => root.With(RootGenerator.Text(path, text));

    /// <summary>Layers a fresh layer may sit on: loadable, named by no expected problem, and far from moby's
    /// depth limit (the depth corrupters' chains reach it).</summary>
    private static Seq<GeneratedLayer> SafeParents(GeneratedRoot root)
    {
        var load = root.Expected.LoadOf(root);
        return root.Layers.Filter(l =>
            l.Depth < LayerFunctional.Diagnostics.RootChecks.MaxLayerDepth - 5
            && load.Layers.Exists(x => x.ChainID == l.ChainID)
            && !(root.Expected.Problems + root.Expected.IfContent).Exists(p => p.Path.StartsWith(l.Folder, StringComparison.Ordinal)
                                                   || p.Path.Contains(l.CacheID, StringComparison.Ordinal)
                                                   // a layer whose short link is gone: a layer on it would name the missing link too
                                                   || p.Path == LinkPath(l.OverlayLink))).Strict();
    }

    /// <summary>A fresh leaf layer on a random safe layer (or a base layer when <paramref name="needsParent"/> is false
    /// and the dice say so).</summary>
    private static (GeneratedRoot, GeneratedLayer, SeededRandom) FreshLeaf(GeneratedRoot root, SeededRandom r, bool needsParent = false)
    {
        var parents = SafeParents(root);
        (var pick, r) = r.Below(parents.Count + (needsParent ? 0 : 1));
        var parent = pick < parents.Count ? Some(parents[pick]) : None;
        return RootGenerator.AddLayer(root, parent, r, "x" + root.Layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A fresh container on a random image (adding an image on a safe layer when the root has none).</summary>
    private static (GeneratedRoot, GeneratedMount, SeededRandom) FreshContainer(GeneratedRoot root, SeededRandom r)
    {
        var safe = SafeParents(root);
        var images = root.Images.Filter(i => safe.Exists(l => l.ChainID == i.Top)).Strict();
        GeneratedImage image;
        if (images.IsEmpty)
        {
            (var t, r) = r.Below(safe.Count);
            (root, image) = RootGenerator.AddImage(root, safe[t]);
        }
        else
        {
            (var i, r) = r.Below(images.Count);
            image = images[i];
        }
        return RootGenerator.AddContainer(root, image, r, root.Mounts.Count);
    }

    private static (string, SeededRandom) Hex(SeededRandom r) => r.RandomId();

    private static string LinkPath(string link) => "overlay2/l/" + link;

    /// <summary>A corrupter on a fresh leaf layer.</summary>
    private static Corrupter OnLeaf(Func<GeneratedRoot, GeneratedLayer, SeededRandom, (GeneratedRoot, SeededRandom)> apply, bool needsParent = false) =>
        new((root, r) =>
        {
            (root, var leaf, r) = FreshLeaf(root, r, needsParent);
            return apply(root, leaf, r);
        });

    /// <summary>A fault in one file of a fresh leaf that makes moby skip it, reported as <paramref name="kind"/> on that file.</summary>
    private static Corrupter LeafFile(ProblemKind kind, string file, Func<GeneratedRoot, GeneratedLayer, SeededRandom, (GeneratedRoot, SeededRandom)> apply,
        bool needsParent = false, bool orphansCache = false, bool stillLoads = false) =>
        OnLeaf((root, leaf, r) =>
        {
            (root, r) = apply(root, leaf, r);
            var problems = Seq1((kind, leaf.Folder + "/" + file));
            if (orphansCache) problems = problems.Add((ProblemKind.OrphanDriverDir, "overlay2/" + leaf.CacheID));
            return (Expect(root, problems, stillLoads ? None : Some(leaf.ChainID)), r);
        }, needsParent);

    private static Corrupter LeafText(ProblemKind kind, string file, string text, bool needsParent = false, bool orphansCache = false, bool stillLoads = false) =>
        LeafFile(kind, file, (root, leaf, r) => (Write(root, leaf.Folder + "/" + file, text), r), needsParent, orphansCache, stillLoads);

    private static Corrupter LeafDelete(ProblemKind kind, string file, bool orphansCache = false) =>
        LeafFile(kind, file, (root, leaf, r) => (root.Without(leaf.Folder + "/" + file), r), orphansCache: orphansCache);

    /// <summary>A corrupter on a fresh container's mount.</summary>
    private static Corrupter OnMount(Func<GeneratedRoot, GeneratedMount, SeededRandom, (GeneratedRoot, SeededRandom)> apply) =>
        new((root, r) =>
        {
            (root, var mount, r) = FreshContainer(root, r);
            return apply(root, mount, r);
        });

    private static Corrupter MountText(ProblemKind kind, string file, string text, Func<GeneratedMount, Option<string>> unregistered) =>
        OnMount((root, mount, r) =>
        {
            // The folder the damaged file named is still named by the mount's other ID file: unregistered, not an orphan.
            var problems = Seq1((kind, mount.Folder + "/" + file)).Concat(unregistered(mount).Map(o => (ProblemKind.UnregisteredDriverDir, "overlay2/" + o)));
            return (Expect(Write(root, mount.Folder + "/" + file, text), problems.Strict(), unloadableMount: Some(mount.Name)), r);
        });

    /// <summary>A chain of <paramref name="length"/> fresh layers from a new base layer.</summary>
    private static (GeneratedRoot, Seq<GeneratedLayer>, SeededRandom) FreshChain(GeneratedRoot root, SeededRandom r, int length)
    {
        var chain = Seq<GeneratedLayer>();
        for (var i = 0; i < length; i++)
        {
            (root, var layer, r) = RootGenerator.AddLayer(root, chain.LastOrNone(), r, "d" + root.Layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            chain = chain.Add(layer);
        }
        return (root, chain, r);
    }

    /// <summary>A root-wide change: the problems, the driver and rule set it needs, and whether the layerdb still loads.</summary>
    private static Corrupter Whole(Func<GeneratedRoot, GeneratedRoot> change, Seq<(ProblemKind, string)> problems, bool loads,
        Option<DriverName> driver = default, string moby = "29.0") =>
        new((root, r) =>
        {
            var changed = Expect(change(root), problems);
            return (changed with
            {
                Expected = changed.Expected with
                {
                    Driver = driver,
                    Moby = MobyVersion.Parse(moby).IfLeft(e => throw new InvalidOperationException(e)),
                    NothingLoads = !loads,
                },
            }, r);
        }, IsExclusive: true);

    /// <summary>The overlay2 folder that holds a layer's files.</summary>
    private static string ContentFolder(GeneratedLayer layer) => $"overlay2/{layer.CacheID}/diff";

    /// <summary>Adds problems that show only when content is verified.</summary>
    private static GeneratedRoot IfContent(GeneratedRoot root, Seq<(ProblemKind, string)> problems) =>
        root with { Expected = root.Expected with { IfContent = root.Expected.IfContent + problems.Map(p => new ExpectedProblem(p.Item1, p.Item2)) } };

    private static string Other(SeededRandom r, string what) => "sha256:" + Digest.Sha256Of(Encoding.UTF8.GetBytes(what + r.State)).Encoded;

    private static readonly HashMap<ProblemKind, Corrupter> Table = HashMap(
        (ProblemKind.LayerDirEmpty, OnLeaf((root, leaf, r) =>
            (Expect(root.Entries.Filter(e => e is GeneratedEntry.File && e.Path.StartsWith(leaf.Folder + "/", StringComparison.Ordinal))
                    .Fold(root, (acc, e) => acc.Without(e.Path)),
                Seq((ProblemKind.LayerDirEmpty, leaf.Folder), (ProblemKind.OrphanDriverDir, "overlay2/" + leaf.CacheID)), Some(leaf.ChainID)), r))),
        (ProblemKind.DiffIdMissing, LeafDelete(ProblemKind.DiffIdMissing, "diff")),
        (ProblemKind.DiffIdInvalid, LeafText(ProblemKind.DiffIdInvalid, "diff", "sha256:xyz")),
        (ProblemKind.SizeMissing, LeafDelete(ProblemKind.SizeMissing, "size")),
        (ProblemKind.SizeInvalid, LeafFile(ProblemKind.SizeInvalid, "size", (root, leaf, r) =>
            (Write(root, leaf.Folder + "/size", leaf.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"), r))),
        (ProblemKind.SizeNegative, OnLeaf((root, leaf, r) =>
            (IfContent(Expect(Write(root, leaf.Folder + "/size", "-1"), Seq1((ProblemKind.SizeNegative, leaf.Folder + "/size"))),
                Seq1((ProblemKind.LayerContentMismatch, ContentFolder(leaf)))), r))),
        // A layer with a layer on it loses its cache-id: the lower file of the layer above still places its folder, which is
        // then unregistered but recoverable (the repair plan writes the cache-id back). A leaf's blank cache-id (below) leaves
        // its folder an orphan that the clean-up plan keeps.
        (ProblemKind.CacheIdMissing, new Corrupter((root, r) =>
        {
            (root, var parent, r) = FreshLeaf(root, r);
            (root, var leaf, r) = RootGenerator.AddLayer(root, Some(parent), r, "x" + root.Layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (Expect(root.Without(parent.Folder + "/cache-id"), Seq(
                (ProblemKind.AncestorUnloadable, leaf.Folder + "/parent"), (ProblemKind.CacheIdMissing, parent.Folder + "/cache-id"),
                (ProblemKind.UnregisteredDriverDir, "overlay2/" + parent.CacheID)), Some(parent.ChainID)), r);
        })),
        (ProblemKind.CacheIdInvalid, LeafText(ProblemKind.CacheIdInvalid, "cache-id", " \n", orphansCache: true)),
        (ProblemKind.ParentInvalid, LeafText(ProblemKind.ParentInvalid, "parent", "", needsParent: true)),
        (ProblemKind.ParentLayerMissing, LeafFile(ProblemKind.ParentLayerMissing, "parent", (root, leaf, r) =>
            (Write(root, leaf.Folder + "/parent", Other(r, "nowhere")), r))),
        (ProblemKind.DescriptorInvalid, LeafText(ProblemKind.DescriptorInvalid, "descriptor.json", "[]")),
        (ProblemKind.ParentCycle, LeafFile(ProblemKind.ParentCycle, "parent", (root, leaf, r) =>
            (Write(root, leaf.Folder + "/parent", leaf.ChainID.ToString()), r))),
        (ProblemKind.AncestorUnloadable, new Corrupter((root, r) =>
        {
            (root, var parent, r) = FreshLeaf(root, r);
            (root, var leaf, r) = RootGenerator.AddLayer(root, Some(parent), r, "x" + root.Layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (Expect(Write(root, parent.Folder + "/size", "x"),
                Seq((ProblemKind.AncestorUnloadable, leaf.Folder + "/parent"), (ProblemKind.SizeInvalid, parent.Folder + "/size")), Some(parent.ChainID)), r);
        })),
        (ProblemKind.ChainIdMismatch, OnLeaf((root, leaf, r) =>
            (IfContent(Expect(Write(root, leaf.Folder + "/diff", Other(r, "another diff")), Seq1((ProblemKind.ChainIdMismatch, leaf.Folder))),
                Seq1((ProblemKind.LayerContentMismatch, ContentFolder(leaf)))), r))),
        (ProblemKind.LayerContentMismatch, OnLeaf((root, leaf, r) =>
        {
            // One byte of one file of the fresh leaf's diff folder changes (flipped; appended when every file is empty).
            var files = root.Entries.Filter(e => e is GeneratedEntry.File && e.Path.StartsWith(ContentFolder(leaf) + "/", StringComparison.Ordinal))
                .Map(e => (GeneratedEntry.File)e).Strict();
            var nonEmpty = files.Filter(f => f.Bytes.Length > 0).Strict();
            var pool = nonEmpty.IsEmpty ? files : nonEmpty;
            (var pick, r) = r.Below(pool.Count);
            var file = pool[pick];
            byte[] bytes;
            if (file.Bytes.Length == 0) bytes = [0x2a];
            else
            {
                (var at, r) = r.Below(file.Bytes.Length);
                (var mask, r) = r.Below(255);
                bytes = (byte[])file.Bytes.Clone();
                bytes[at] ^= (byte)(mask + 1);
            }
            var changed = root.With(new GeneratedEntry.File(file.Path, bytes));
            return (changed with
            {
                Expected = changed.Expected with
                {
                    NeedsContent = true,
                    IfContent = changed.Expected.IfContent.Add(new ExpectedProblem(ProblemKind.LayerContentMismatch, file.Path)),
                },
            }, r);
        })),
        (ProblemKind.LayerDepthAtLimit, new Corrupter((root, r) =>
        {
            (root, var chain, r) = FreshChain(root, r, LayerFunctional.Diagnostics.RootChecks.MaxLayerDepth);
            return (Expect(root, Seq1((ProblemKind.LayerDepthAtLimit, chain.Last.Folder))), r);
        })),
        (ProblemKind.LayerDepthExceeded, new Corrupter((root, r) =>
        {
            (root, var chain, r) = FreshChain(root, r, LayerFunctional.Diagnostics.RootChecks.MaxLayerDepth + 1);
            return (Expect(root, Seq((ProblemKind.LayerDepthAtLimit, chain[^2].Folder), (ProblemKind.LayerDepthExceeded, chain.Last.Folder))), r);
        })),
        (ProblemKind.InvalidLayerDirEntry, new Corrupter((root, r) =>
        {
            (var hex, r) = Hex(r);
            var path = $"{Db}/sha256/notes-{hex[..8]}.txt";
            return (Expect(Write(root, path, "x"), Seq1((ProblemKind.InvalidLayerDirEntry, path))), r);
        })),
        (ProblemKind.LayerDirIsSymlink, OnLeaf((root, leaf, r) =>
        {
            (var hex, r) = Hex(r);
            var path = $"{Db}/sha256/{hex}";
            return (Expect(root.With(new GeneratedEntry.Link(path, leaf.ChainID.Digest.Encoded)), Seq1((ProblemKind.LayerDirIsSymlink, path))), r);
        })),
        (ProblemKind.RemovalLeftover, OnLeaf((root, leaf, r) =>
        {
            (var hex, r) = Hex(r);
            var path = leaf.Folder + "-" + hex + "-removing";
            var moved = root.Moved(leaf.Folder, path);
            moved = moved with
            {
                Layers = moved.Layers.Filter(l => l.ChainID != leaf.ChainID)
                    .Map(l => leaf.Parent == Some(l.ChainID) ? l with { ReferenceCount = l.ReferenceCount - 1 } : l).Strict(),
            };
            return (Expect(moved, Seq1((ProblemKind.RemovalLeftover, path))), r);
        })),
        (ProblemKind.StaleTransaction, new Corrupter((root, r) =>
        {
            (var n, r) = r.Below(1_000_000);
            var path = $"{Db}/tmp/write-set-{n}";
            return (Expect(root.With(new GeneratedEntry.Folder(path)), Seq1((ProblemKind.StaleTransaction, path))), r);
        })),
        (ProblemKind.TarSplitMissing, OnLeaf((root, leaf, r) =>
            (Expect(root.Without(leaf.Folder + "/tar-split.json.gz"), Seq1((ProblemKind.TarSplitMissing, leaf.Folder + "/tar-split.json.gz"))), r))),
        (ProblemKind.TarSplitInvalid, OnLeaf((root, leaf, r) =>
        {
            var path = leaf.Folder + "/tar-split.json.gz";
            var bytes = root.FileAt(path).IfNone(System.Array.Empty<byte>());
            return (Expect(root.With(new GeneratedEntry.File(path, bytes[..(bytes.Length / 2)])), Seq1((ProblemKind.TarSplitInvalid, path))), r);
        })),
        (ProblemKind.NotARegularFile, LeafFile(ProblemKind.NotARegularFile, "size", (root, leaf, r) =>
            (root.Without(leaf.Folder + "/size").With(new GeneratedEntry.Folder(leaf.Folder + "/size")), r))),
        // 70,000 leading zeros: moby reads the whole file and parses the same size, so the layer loads.
        (ProblemKind.FileTooLarge, LeafFile(ProblemKind.FileTooLarge, "size", (root, leaf, r) =>
            (Write(root, leaf.Folder + "/size", new string('0', 70_000) + leaf.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)), r),
            stillLoads: true)),
        (ProblemKind.SymlinkOutsideRoot, LeafFile(ProblemKind.SymlinkOutsideRoot, "size", (root, leaf, r) =>
            (root.With(new GeneratedEntry.Link(leaf.Folder + "/size", "/etc/hostname")), r))),
        (ProblemKind.MountIdMissing, OnMount((root, mount, r) =>
            (Expect(root.Without(mount.Folder + "/mount-id"),
                Seq((ProblemKind.MountIdMissing, mount.Folder + "/mount-id"), (ProblemKind.UnregisteredDriverDir, "overlay2/" + mount.MountID)),
                unloadableMount: Some(mount.Name)), r))),
        // init-id is optional (a mount without an init layer loads): with it gone, the init folder is named only by the
        // mount ID ("<mount ID>-init").
        (ProblemKind.UnregisteredDriverDir, OnMount((root, mount, r) =>
            (Expect(root.Without(mount.Folder + "/init-id"), Seq1((ProblemKind.UnregisteredDriverDir, "overlay2/" + mount.InitID))), r))),
        (ProblemKind.MountIdInvalid, MountText(ProblemKind.MountIdInvalid, "mount-id", "NOT-HEX", m => Some(m.MountID))),
        (ProblemKind.InitIdInvalid, MountText(ProblemKind.InitIdInvalid, "init-id", "", m => Some(m.InitID))),
        (ProblemKind.MountParentInvalid, MountText(ProblemKind.MountParentInvalid, "parent", "", _ => None)),
        (ProblemKind.MountParentUnloadable, OnMount((root, mount, r) =>
            (Expect(Write(root, mount.Folder + "/parent", Other(r, "gone")), Seq1((ProblemKind.MountParentUnloadable, mount.Folder + "/parent")),
                unloadableMount: Some(mount.Name)), r))),
        (ProblemKind.MountWithoutContainer, OnMount((root, mount, r) =>
            (Expect(root.Without("containers/" + mount.Name), Seq1((ProblemKind.MountWithoutContainer, mount.Folder))), r))),
        (ProblemKind.ContainerConfigInvalid, OnMount((root, mount, r) =>
            (Expect(Write(root, $"containers/{mount.Name}/config.v2.json", "{\"ID\":"), Seq1((ProblemKind.ContainerConfigInvalid, $"containers/{mount.Name}/config.v2.json"))), r))),
        (ProblemKind.ContainerHostConfigInvalid, OnMount((root, mount, r) =>
            (Expect(Write(root, $"containers/{mount.Name}/hostconfig.json", "[]"),
                Seq1((ProblemKind.ContainerHostConfigInvalid, $"containers/{mount.Name}/hostconfig.json"))), r))),
        // A config.v2.json without its Config object: Daemon.Register dereferences the nil pointer.
        (ProblemKind.ContainerCrashesDaemon, OnMount((root, mount, r) =>
        {
            var path = $"containers/{mount.Name}/config.v2.json";
            var config = System.Text.Json.Nodes.JsonNode.Parse(root.FileAt(path).IfNone(() => throw new InvalidOperationException(path)))!.AsObject();
            config.Remove("Config");
            return (Expect(root.With(new GeneratedEntry.File(path, Encoding.UTF8.GetBytes(config.ToJsonString()))),
                Seq1((ProblemKind.ContainerCrashesDaemon, path))), r);
        })),
        // Two fresh containers, the second renamed to the first's name.
        (ProblemKind.ContainerNameConflict, new Corrupter((root, r) =>
        {
            (root, var first, r) = FreshContainer(root, r);
            (root, var second, r) = FreshContainer(root, r);
            var path = $"containers/{second.Name}/config.v2.json";
            var config = Encoding.UTF8.GetString(root.FileAt(path).IfNone(() => throw new InvalidOperationException(path)));
            var name = Encoding.UTF8.GetString(root.FileAt($"containers/{first.Name}/config.v2.json").IfNone(() => throw new InvalidOperationException(path)));
            var firstName = System.Text.Json.Nodes.JsonNode.Parse(name)!["Name"]!.GetValue<string>();
            var secondName = System.Text.Json.Nodes.JsonNode.Parse(config)!["Name"]!.GetValue<string>();
            return (Expect(Write(root, path, config.Replace($"\"Name\":\"{secondName}\"", $"\"Name\":\"{firstName}\"", StringComparison.Ordinal)),
                Seq((ProblemKind.ContainerNameConflict, $"containers/{first.Name}/config.v2.json"), (ProblemKind.ContainerNameConflict, path))), r);
        })),
        // A container whose mount folder is gone: its config stays, and so do its read-write and init folders, which nothing
        // in the layerdb names now (orphans the clean-up plan must keep: they hold the container's data).
        // A container (on an image of its own, so that no other container without its mount shares the image's top layer)
        // whose mount folder is gone: its read-write and init folders, the only pair on that top layer, are unregistered but
        // recoverable (the repair plan re-creates the mount folder).
        (ProblemKind.ContainerWithoutMount, OnLeaf((root, leaf, r) =>
        {
            (root, var image) = RootGenerator.AddImage(root, leaf);
            (root, var mount, r) = RootGenerator.AddContainer(root, image, r, root.Mounts.Count);
            return (Expect(root.Without(mount.Folder), Seq(
                (ProblemKind.ContainerWithoutMount, "containers/" + mount.Name),
                (ProblemKind.UnregisteredDriverDir, "overlay2/" + mount.MountID),
                (ProblemKind.UnregisteredDriverDir, "overlay2/" + mount.InitID))), r);
        })),
        (ProblemKind.CacheDirMissing, OnLeaf((root, leaf, r) =>
            (Expect(root.Without(LinkPath(leaf.OverlayLink)).Without("overlay2/" + leaf.CacheID),
                Seq1((ProblemKind.CacheDirMissing, "overlay2/" + leaf.CacheID))), r))),
        (ProblemKind.MountDirMissing, OnMount((root, mount, r) =>
        {
            var link = root.FileAt($"overlay2/{mount.MountID}/link").Map(Encoding.ASCII.GetString).IfNone("");
            return (Expect(root.Without(LinkPath(link)).Without("overlay2/" + mount.MountID),
                Seq1((ProblemKind.MountDirMissing, "overlay2/" + mount.MountID))), r);
        })),
        (ProblemKind.InitDirMissing, OnMount((root, mount, r) =>
        {
            var link = root.FileAt($"overlay2/{mount.InitID}/link").Map(Encoding.ASCII.GetString).IfNone("");
            return (Expect(root.Without(LinkPath(link)).Without("overlay2/" + mount.InitID),
                Seq((ProblemKind.InitDirMissing, "overlay2/" + mount.InitID), (ProblemKind.OverlayLowerEntryInvalid, $"overlay2/{mount.MountID}/lower"))), r);
        })),
        (ProblemKind.OrphanDriverDir, new Corrupter((root, r) =>
        {
            (var id, r) = Hex(r);
            return (Expect(Write(root, $"overlay2/{id}/diff/x", "x"), Seq1((ProblemKind.OrphanDriverDir, "overlay2/" + id))), r);
        })),
        (ProblemKind.OverlayLinkFileEmpty, OnLeaf((root, leaf, r) =>
            (Expect(Write(root, $"overlay2/{leaf.CacheID}/link", ""), Seq1((ProblemKind.OverlayLinkFileEmpty, $"overlay2/{leaf.CacheID}/link"))), r))),
        (ProblemKind.OverlayLinkSymlinkMissing, OnLeaf((root, leaf, r) =>
            (Expect(root.Without(LinkPath(leaf.OverlayLink)), Seq1((ProblemKind.OverlayLinkSymlinkMissing, LinkPath(leaf.OverlayLink)))), r))),
        // overlay2/l/ gone with every short link: each link file then names a missing link, and each lower file's entries lead
        // nowhere (all symptoms of the one missing folder). Alone: it touches every layer.
        (ProblemKind.OverlayLinkFolderInvalid, new Corrupter((root, r) =>
        {
            static bool OverlayFile(GeneratedEntry e, string name) =>
                e is GeneratedEntry.File && e.Path.StartsWith("overlay2/", StringComparison.Ordinal) && e.Path.EndsWith("/" + name, StringComparison.Ordinal)
                && e.Path.Count(c => c == '/') == 2;
            var problems = Seq1((Kind: ProblemKind.OverlayLinkFolderInvalid, Path: "overlay2/l"))
                .Concat(root.Entries.Filter(e => OverlayFile(e, "link")).Map(e => (Kind: ProblemKind.OverlayLinkSymlinkMissing, Path: LinkPath(Encoding.ASCII.GetString(((GeneratedEntry.File)e).Bytes)))))
                .Concat(root.Entries.Filter(e => OverlayFile(e, "lower")).Map(e => (Kind: ProblemKind.OverlayLowerEntryInvalid, e.Path)));
            return (Expect(root.Without("overlay2/l"), problems.Map(p => (p.Kind, p.Path)).Strict()), r);
        }, IsExclusive: true)),
        (ProblemKind.OverlaySymlinkDangling, new Corrupter((root, r) =>
        {
            (var link, r) = RootGenerator.Link(r);
            (var id, r) = Hex(r);
            return (Expect(root.With(new GeneratedEntry.Link(LinkPath(link), $"../{id}/diff")), Seq1((ProblemKind.OverlaySymlinkDangling, LinkPath(link)))), r);
        })),
        (ProblemKind.OverlayLowerEntryInvalid, OnLeaf((root, leaf, r) =>
            (Expect(Write(root, $"overlay2/{leaf.CacheID}/lower", "l/NOPE"), Seq1((ProblemKind.OverlayLowerEntryInvalid, $"overlay2/{leaf.CacheID}/lower"))), r))),
        (ProblemKind.ImageConfigInvalid, new Corrupter((root, r) =>
        {
            (var id, r) = Hex(r);
            var path = RootGenerator.ImageDb + "/" + id;
            return (Expect(Write(root, path, "{\"rootfs\":{}}"), Seq1((ProblemKind.ImageConfigInvalid, path))), r);
        })),
        (ProblemKind.ImageLayerMissing, new Corrupter((root, r) =>
        {
            var json = "{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Other(r, "no such layer") + "\"]}}";
            var path = RootGenerator.ImageDb + "/" + Digest.Sha256Of(Encoding.UTF8.GetBytes(json)).Encoded;
            (_, r) = r.NextUInt64();
            return (Expect(Write(root, path, json), Seq1((ProblemKind.ImageLayerMissing, path))), r);
        })),
        (ProblemKind.AmbiguousPriorDrivers, Whole(root => Write(root, "btrfs/subvolumes/x/file", "x"),
            Seq((ProblemKind.AmbiguousPriorDrivers, "btrfs"), (ProblemKind.AmbiguousPriorDrivers, "overlay2")), loads: false)),
        // A removed driver's home and its layerdb: two findings, each where it lies; the layerdb is a symptom of the removal.
        (ProblemKind.RemovedDriverState, Whole(root => Write(Write(root, "aufs/diff/x/file", "x"), $"image/aufs/layerdb/sha256/{new string('a', 64)}/diff", "x"),
            Seq((ProblemKind.RemovedDriverState, "aufs"), (ProblemKind.LayerdbNotUsed, "image/aufs/layerdb")), loads: true)),
        (ProblemKind.DeprecatedDriverState, Whole(root => Write(root.Without("overlay2"), "aufs/diff/x/file", "x"),
            Seq1((ProblemKind.DeprecatedDriverState, "aufs")), loads: false, moby: "23.0")),
        (ProblemKind.OtherDriverState, Whole(root => Write(root, "btrfs/subvolumes/x/file", "x"), Seq1((ProblemKind.OtherDriverState, "btrfs")),
            loads: true, driver: Some(DriverName.Overlay2))),
        (ProblemKind.DriverHomeMissing, Whole(root => root.Without("overlay2"), Seq1((ProblemKind.DriverHomeMissing, "overlay2")),
            loads: true, driver: Some(DriverName.Overlay2))),
        (ProblemKind.DriverNotSupported, Whole(root => root, Seq1((ProblemKind.DriverNotSupported, "aufs")), loads: false, driver: Some(new DriverName("aufs")))),
        // With overlay2/ gone the layerdb is left alone for two reasons: the containerd store, and no data for its layers.
        (ProblemKind.LayerdbNotUsed, Whole(root => root.Without("overlay2"), Seq((ProblemKind.DriverHomeMissing, "overlay2"), (ProblemKind.LayerdbNotUsed, Db)), loads: false)),
        (ProblemKind.LayerdbAbsent, Whole(root => root.Without(Db), Seq1((ProblemKind.LayerdbAbsent, Db)), loads: false)),
        (ProblemKind.LayerdbUnreadable, Whole(root => Write(root.Without(Db + "/mounts"), Db + "/mounts", "not a folder"),
            Seq1((ProblemKind.LayerdbUnreadable, Db + "/mounts")), loads: false)));
}
