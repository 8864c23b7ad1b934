using System.Buffers.Binary;
using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Properties;

/// <summary>One way to damage a bbolt file.</summary>
/// <param name="Kind">flip (a byte anywhere), truncate, page (a page header's id, flags, count or overflow), copy (one page over
/// another: loops and shared pages), meta (a meta page's root or freelist, checksum recomputed so that it is believed).</param>
/// <param name="At">Where (scaled to the file).</param>
/// <param name="Value">What is written.</param>
public sealed record BoltDamage(string Kind, int At, int Value);

/// <summary>A real store and damage done to it.</summary>
/// <param name="Sample">The sample file (tests/…/Core/Containerd/Samples).</param>
/// <param name="Damage">Applied in order.</param>
public sealed record BoltCase(string Sample, Seq<BoltDamage> Damage)
{
    /// <summary>The damaged bytes.</summary>
    public byte[] Bytes()
    {
        var bytes = BoltProperties.Read(Sample);
        const int page = 4096;
        foreach (var d in Damage)
        {
            var pages = Math.Max(1, bytes.Length / page);
            switch (d.Kind)
            {
                case "flip":
                    if (bytes.Length > 0) bytes[d.At % bytes.Length] = (byte)d.Value;
                    break;
                case "truncate":
                    bytes = bytes[..(d.At % (bytes.Length + 1))];
                    break;
                case "page":
                    var at = d.At % pages * page;
                    if (at + 16 <= bytes.Length)
                        switch (d.Value & 3)
                        {
                            case 0: BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), (ulong)(d.Value >> 2) % (ulong)(pages + 3)); break;
                            case 1: BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 8), (ushort)(1 << (d.Value >> 2) % 5)); break;
                            case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 10), (ushort)(d.Value >> 2)); break;
                            default: BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 12), (uint)(d.Value >> 2)); break;
                        }
                    break;
                case "copy":
                    var (from, to) = (d.At % pages * page, d.Value % pages * page);
                    if (from + page <= bytes.Length && to + page <= bytes.Length && to >= 2 * page)
                        bytes.AsSpan(from, page).CopyTo(bytes.AsSpan(to, page));
                    break;
                case "meta":
                    var meta = (d.At & 1) * page + 16;
                    if (meta + 64 <= bytes.Length)
                    {
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(meta + ((d.At >> 1 & 1) == 0 ? 16 : 24)), (ulong)d.Value % (ulong)(pages + 2));
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(meta + 56), BoltFile.Fnv1a64(bytes.AsSpan(meta, 56)));
                    }
                    break;
            }
        }
        return bytes;
    }
}

/// <summary>
/// The bbolt reader and the containerd checks on damaged stores, with the discipline of the layerdb reader's random-bytes
/// property: real stores a containerd wrote, damaged byte by byte, page by page (ids, flags, counts, overflow), page over page
/// (loops), meta pages believed (checksums recomputed), truncated. Whatever the damage, opening, walking every bucket, mapping
/// the moby namespace and the snapshotter's records, and the whole containerd check end, within ten seconds, with a value or a
/// typed finding: never an exception or a hang.
/// </summary>
public class BoltProperties
{
    private static readonly string[] Samples =
        ["meta.db.gz", "native-metadata.db.gz", "big-meta.db.gz", "parent-meta.db.gz", "parent-native-metadata.db.gz", "overlayfs-meta.db.gz", "overlayfs-metadata.db.gz"];

    private static readonly Dictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>A sample's bytes (a fresh copy).</summary>
    public static byte[] Read(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var bytes))
            {
                var folder = AppContext.BaseDirectory;
                while (!Directory.Exists(Path.Combine(folder, "tests", "LayerFunctional.Tests", "Core", "Containerd", "Samples")))
                    folder = Path.GetDirectoryName(folder) ?? throw new DirectoryNotFoundException("the containerd samples");
                using var gz = new GZipStream(File.OpenRead(Path.Combine(folder, "tests", "LayerFunctional.Tests", "Core", "Containerd", "Samples", name)), CompressionMode.Decompress);
                using var buffer = new MemoryStream();
                gz.CopyTo(buffer);
                Cache[name] = bytes = buffer.ToArray();
            }
            return (byte[])bytes.Clone();
        }
    }

    /// <summary>Stores with 1-6 damages each.</summary>
    public static Gen<BoltCase> Cases =>
        from sample in Gen.Elements(Samples)
        from n in Gen.Choose(1, 6)
        from damage in Gen.ArrayOf(
            from kind in Gen.Elements("flip", "flip", "flip", "page", "page", "copy", "meta", "truncate")
            from at in Gen.Choose(0, int.MaxValue)
            from value in Gen.Choose(0, int.MaxValue)
            select new BoltDamage(kind, at, kind == "flip" ? value & 0xFF : value), n)
        select new BoltCase(sample, damage.ToSeq());

    // Everything the tool does with such a file.
    private static int Everything(byte[] bytes)
    {
        var count = BoltFile.Open(bytes).Match(Right: db => Walk(db, db.Root, 0), Left: _ => -1);
        BoltFile.Open(bytes).IfRight(db =>
        {
            ContainerdMetadata.Namespace(db);
            ContainerdMetadata.SnapshotterRecords(db);
        });
        var raw = Some<RawFile>(new RawFile.Content(bytes));
        foreach (var snapshotter in new[] { "native", "overlayfs" })
        {
            var store = new ContainerdStoreSnapshot("containerd/daemon", snapshotter, raw, raw,
                new DirectoryListing.Listed(Seq(new DirectoryEntry("1", EntryType.Directory), new DirectoryEntry("9", EntryType.Directory))),
                new DirectoryListing.Absent());
            var (view, _) = ContainerdChecks.Check(store);
            foreach (var v in view)
                foreach (var s in v.Snapshots) ContainerdOwnership.Find(v, Empty, s.Key);
        }
        return count;
    }

    private static int Walk(BoltFile db, BoltBucket bucket, int depth) =>
        depth > 70 ? 0 : db.Entries(bucket).Match(Right: entries => entries.Sum(e => e.Bucket.Match(Some: b => Walk(db, b, depth + 1), None: () => 1)), Left: _ => 0);

    /// <summary>The property for one case: it ends within ten seconds (a case takes milliseconds once the code is compiled;
    /// about 100 ms on the first, with the JIT) without an exception. The case runs on a thread of its own, not the thread
    /// pool: with the test classes running in parallel on two cores, a pool task can wait seconds for a thread (the pool
    /// adds threads slowly), and the ten seconds would measure that queue rather than the reader (a CI run on 2026-12-06 was
    /// stopped so on a case that takes 120 ms alone).</summary>
    public static Property NeverThrowsOrHangs(BoltCase c)
    {
        var bytes = c.Bytes();
        var run = Task.Factory.StartNew(() => Everything(bytes), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return run.Wait(TimeSpan.FromSeconds(10)).Label($"still running after 10 s: {c}");
        }
        catch (AggregateException e)
        {
            return false.Label($"{e.InnerException?.GetType().Name}: {e.InnerException?.Message} on {c}");
        }
    }

    [CasesProperty]
    public Property A_damaged_bbolt_store_is_a_finding_never_an_exception_or_a_hang() =>
        Prop.ForAll(Cases.ToArbitrary(), NeverThrowsOrHangs);
}
