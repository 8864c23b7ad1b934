using System.Text;
using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Properties;

/// <summary>
/// A random layerdb: a forest of layers with real computed diff and chain IDs, mounts on random
/// layers, and a few deliberate faults (a broken size, a missing diff, a missing parent folder, a
/// cycle, an unlisted parent), so that loads skip things and the invariants are tested where they
/// matter. <see cref="Snapshot"/> is what the shell would read.
/// </summary>
public sealed record RandomStore(LayerDbSnapshot Snapshot, int LayerCount, int MountCount, string Description)
{
    public override string ToString() => Description;
}

public static class StoreGen
{
    private static string Hex(string seed) => Digest.Sha256Of(Encoding.UTF8.GetBytes(seed)).Encoded;

    /// <summary>Builds a store from plain choices (all indices already in range).</summary>
    public static RandomStore Build(int[] parents, int[] faults, int[] mountParents, int salt)
    {
        var n = parents.Length;
        var chains = new ChainID[n];
        var diffs = new DiffID[n];
        for (var i = 0; i < n; i++)
        {
            diffs[i] = DiffID.FromDigest(Digest.Sha256Of(Encoding.UTF8.GetBytes($"layer-{salt}-{i}")));
            chains[i] = ChainID.Compute(parents[i] < 0 ? None : Some(chains[parents[i]]), diffs[i]);
        }
        var b = SnapshotBuilder.Empty;
        var description = new StringBuilder($"salt {salt}; ");
        for (var i = 0; i < n; i++)
        {
            var files = Map(
                ("diff", SnapshotBuilder.Text(diffs[i].ToString())),
                ("size", SnapshotBuilder.Text((i * 7).ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ("cache-id", SnapshotBuilder.Text(Hex($"cache-{salt}-{i}"))));
            if (parents[i] >= 0) files = files.Add("parent", SnapshotBuilder.Text(chains[parents[i]].ToString()));
            var fault = faults[i];
            description.Append($"L{i}->{parents[i]}/f{fault} ");
            switch (fault)
            {
                case 1: files = files.AddOrUpdate("size", SnapshotBuilder.Text("12\n")); break;
                case 2: files = files.Remove("diff"); break;
                case 3: files = files.AddOrUpdate("parent", SnapshotBuilder.Text("sha256:" + Hex($"nowhere-{salt}-{i}"))); break;
                case 4 when i + 1 < n: files = files.AddOrUpdate("parent", SnapshotBuilder.Text(chains[i + 1].ToString())); break;  // may close a cycle
                case 5: files = files.AddOrUpdate("parent", SnapshotBuilder.Text(chains[i].ToString())); break;                   // self-parent
            }
            b = fault == 6 ? b.WithUnlistedLayer(chains[i].ToString(), files) : b.WithLayer(chains[i].ToString(), files);
        }
        for (var m = 0; m < mountParents.Length; m++)
        {
            var mountId = Hex($"mount-{salt}-{m}");
            var files = Map(("mount-id", SnapshotBuilder.Text(mountId)), ("init-id", SnapshotBuilder.Text(mountId + "-init")));
            if (mountParents[m] >= 0 && n > 0) files = files.Add("parent", SnapshotBuilder.Text(chains[mountParents[m] % n].ToString()));
            description.Append($"M{m}->{mountParents[m]} ");
            b = b.WithMount(Hex($"container-{salt}-{m}"), files);
        }
        return new RandomStore(b.Build(), n, mountParents.Length, description.ToString());
    }

    /// <summary>Stores of 0 to 40 layers; faults appear on about a fifth of the layers.</summary>
    public static Gen<RandomStore> Stores =>
        from n in Gen.Choose(0, 40)
        from parents in Gen.CollectToArray(Enumerable.Range(0, n).Select(i => i == 0 ? Gen.Constant(-1) : Gen.Choose(-1, i - 1)))
        from faults in Gen.ArrayOf(Gen.Frequency((20, Gen.Constant(0)), (1, Gen.Choose(1, 6))), n)
        from mountCount in Gen.Choose(0, 10)
        from mountParents in Gen.ArrayOf(Gen.Choose(-1, Math.Max(0, n - 1)), mountCount)
        from salt in Gen.Choose(0, 1_000_000)
        select Build(parents, faults, mountParents, salt);

    /// <summary>Valid stores only: no faults.</summary>
    public static Gen<RandomStore> ValidStores =>
        from n in Gen.Choose(1, 40)
        from parents in Gen.CollectToArray(Enumerable.Range(0, n).Select(i => i == 0 ? Gen.Constant(-1) : Gen.Choose(-1, i - 1)))
        from mountCount in Gen.Choose(0, 10)
        from mountParents in Gen.ArrayOf(Gen.Choose(-1, n - 1), mountCount)
        from salt in Gen.Choose(0, 1_000_000)
        select Build(parents, new int[n], mountParents, salt);
}

public static class StoreArbitraries
{
    public static Arbitrary<RandomStore> Store() => StoreGen.Stores.ToArbitrary();
}
