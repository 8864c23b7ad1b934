using System.Buffers.Binary;
using System.IO.Compression;
using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Containerd;

/// <summary>
/// The bbolt reader on files a real containerd wrote (Samples/README.md says how), and on byte-level damage of them:
/// truncation, bad meta pages, page IDs past the file, loops between pages, elements outside their page. Damage is always a
/// <see cref="BoltError"/>, never an exception or a hang.
/// </summary>
public class BoltFileTests
{
    private static readonly string Samples = Path.Combine(SharedData.RepoRoot, "tests", "LayerFunctional.Tests", "Core", "Containerd", "Samples");

    private static byte[] Sample(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Samples, name)), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gz.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static BoltFile Open(byte[] bytes) => BoltFile.Open(bytes).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));

    private static Seq<string> Keys(BoltFile db, params string[] path) =>
        db.Bucket(path).Bind(b => b.Match(Some: bucket => db.Entries(bucket).Map(e => e.Map(x => x.Name)), None: () => Right<BoltError, Seq<string>>(Empty)))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));

    private const string Layer = "sha256:a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577";
    private const string Config = "sha256:54cd5374ead6aecf5d25294b6d71fbf17df7e773929742e1ed97a64ac903facc";
    private const string Manifest = "sha256:fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2";
    private const string Hello = "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    [Fact]
    public void Containerd_s_meta_db_lists_what_ctr_made()
    {
        var db = Open(Sample("meta.db.gz"));
        Assert.Equal(4096, db.Meta.PageSize);
        Assert.Equal(Seq1("v1"), Keys(db));
        Assert.Equal(Seq1("moby"), Keys(db, "v1").Filter(k => k != "version"));
        Assert.Equal(Seq1("docker.io/library/tiny:1"), Keys(db, "v1", "moby", "images"));
        // The ingested blob no image, lease or label held is gone: containerd's garbage collection removed it.
        Assert.Equal(Seq(Config, Layer, Manifest), Keys(db, "v1", "moby", "content", "blob"));
        Assert.DoesNotContain(Hello, Keys(db, "v1", "moby", "content", "blob"));
        Assert.Equal(Seq("k1", "k2", Layer), Keys(db, "v1", "moby", "snapshots", "native"));
        Assert.Contains("l1", Keys(db, "v1", "moby", "leases"));
        // An image record holds its target's digest (containerd metadata/images.go: target/digest).
        var digest = db.Bucket("v1", "moby", "images", "docker.io/library/tiny:1", "target")
            .Bind(b => b.Match(Some: t => db.Get(t, "digest"), None: () => Right<BoltError, Option<BoltEntry>>(None)))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(Some(Manifest), digest.Map(e => System.Text.Encoding.UTF8.GetString(e.Value.Span)));
    }

    [Fact]
    public void The_native_snapshotter_s_metadata_db_lists_its_snapshots()
    {
        var db = Open(Sample("native-metadata.db.gz"));
        // containerd snapshots/storage/bolt.go: bucket v1/snapshots, keys "<namespace>/<ID>/<key>" as the metadata store names them.
        Assert.Equal(Seq("moby/1/k1", "moby/2/k2", "moby/4/" + Layer), Keys(db, "v1", "snapshots"));
    }

    [Fact]
    public void The_meta_page_with_the_higher_transaction_wins_and_a_bad_checksum_is_skipped()
    {
        var bytes = Sample("meta.db.gz");
        var db = Open(bytes);
        var other = 1 - db.Meta.Page;
        // Damage the chosen meta page's checksum: the other one is read.
        var damaged = (byte[])bytes.Clone();
        damaged[db.Meta.Page * 4096 + 16 + 60] ^= 0xFF;
        Assert.Equal(other, Open(damaged).Meta.Page);
        // Both damaged: a typed error naming each.
        damaged[other * 4096 + 16] ^= 0xFF;
        var error = Assert.IsType<BoltError.NoValidMeta>(BoltFile.Open(damaged).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("opened")));
        Assert.Equal("page 0: " + (db.Meta.Page == 0 ? "bad checksum" : "bad magic") + "; page 1: " + (db.Meta.Page == 1 ? "bad checksum" : "bad magic"), error.Why);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(4096)]
    [InlineData(4096 + 80)]
    [InlineData(3 * 4096)]
    [InlineData(5 * 4096 + 100)]
    public void A_truncated_file_gives_an_error_or_fewer_pages_never_an_exception(int length)
    {
        var bytes = Sample("meta.db.gz")[..length];
        var opened = BoltFile.Open(bytes);
        Assert.Equal(length < 16 + 64, opened.IsLeft);   // meta page 0 is whole from 80 bytes on
        // Every bucket reachable is read or refused; nothing throws.
        opened.IfRight(db => WalkAll(db, db.Root, 0));
    }

    private static int WalkAll(BoltFile db, BoltBucket bucket, int depth) =>
        depth > 16 ? 0 : db.Entries(bucket).Match(Right: entries => entries.Sum(e => e.Bucket.Match(Some: b => WalkAll(db, b, depth + 1), None: () => 1)), Left: _ => 0);

    [Fact]
    public void A_root_page_past_the_file_or_the_high_water_mark_is_out_of_range()
    {
        var bytes = Sample("meta.db.gz");
        var db = Open(bytes);
        var damaged = WithMeta(bytes, db.Meta.Page, rootPage: db.Meta.HighWater + 5);
        var reopened = Open(damaged);
        Assert.Equal(new BoltError.PageOutOfRange(db.Meta.HighWater + 5, "the bucket's root"), reopened.Entries(reopened.Root).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
    }

    [Fact]
    public void A_branch_page_that_points_at_itself_is_a_cycle()
    {
        var bytes = Sample("meta.db.gz");
        var db = Open(bytes);
        // Turn the root bucket's page into a branch page with one element pointing back at it.
        var root = (int)db.Meta.RootPage * 4096;
        var damaged = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(damaged.AsSpan(root + 8), 0x01);
        BinaryPrimitives.WriteUInt16LittleEndian(damaged.AsSpan(root + 10), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(damaged.AsSpan(root + 16 + 8), db.Meta.RootPage);
        var reopened = Open(damaged);
        Assert.Equal(new BoltError.Cycle(db.Meta.RootPage), reopened.Entries(reopened.Root).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
    }

    [Fact]
    public void A_leaf_element_that_points_past_its_page_is_a_bad_page()
    {
        var bytes = Sample("meta.db.gz");
        var db = Open(bytes);
        var root = (int)db.Meta.RootPage * 4096;
        var damaged = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan(root + 16 + 8), 1_000_000);   // the first key's size
        var reopened = Open(damaged);
        Assert.Equal(new BoltError.BadPage(db.Meta.RootPage, "leaf element 0 points past the page"),
            reopened.Entries(reopened.Root).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
    }

    [Fact]
    public void Random_byte_damage_never_throws()
    {
        var bytes = Sample("meta.db.gz");
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            var damaged = (byte[])bytes.Clone();
            for (var flips = 0; flips < 8; flips++) damaged[random.Next(2 * 4096, damaged.Length)] = (byte)random.Next(256);
            BoltFile.Open(damaged).IfRight(db => WalkAll(db, db.Root, 0));
        }
    }

    // The meta page at `page` with another root page and a fresh checksum.
    private static byte[] WithMeta(byte[] bytes, int page, ulong rootPage)
    {
        var damaged = (byte[])bytes.Clone();
        var meta = damaged.AsSpan(page * 4096 + 16, 64);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[16..], rootPage);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[56..], BoltFile.Fnv1a64(meta[..56]));
        return damaged;
    }

    [Fact]
    public void The_moby_namespace_maps_to_images_blobs_snapshots_and_leases()
    {
        var ns = ContainerdMetadata.Namespace(Open(Sample("meta.db.gz"))).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()))
            .IfNone(() => throw new Xunit.Sdk.XunitException("no moby namespace"));
        Assert.Equal(Seq1(new ContainerdImage("docker.io/library/tiny:1", Manifest, "application/vnd.oci.image.manifest.v1+json", Some(415L))), ns.Images);
        Assert.Equal(Seq(Config, Layer, Manifest), ns.Blobs.Map(b => b.Digest));
        Assert.Equal(Some(Layer), ns.Blobs.Find(b => b.Digest == Config).Bind(b => b.Labels.Find("containerd.io/gc.ref.snapshot.native")));
        Assert.Equal(Seq(
                new ContainerdSnapshot("native", "k1", "moby/1/k1", None),
                new ContainerdSnapshot("native", "k2", "moby/2/k2", None),
                new ContainerdSnapshot("native", Layer, "moby/4/" + Layer, None)),
            ns.Snapshots);
        Assert.Equal(Seq1(new ContainerdLease("l1", Empty, Empty)), ns.Leases);
        Assert.Empty(ns.Containers);
        Assert.True(ContainerdMetadata.Namespace(Open(Sample("meta.db.gz")), "default").IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString())).IsNone);
    }

    [Fact]
    public void The_snapshotter_s_records_give_each_snapshot_its_folder_and_kind()
    {
        Assert.Equal(Seq(
                new SnapshotterRecord("moby/1/k1", Some(1UL), SnapshotKind.Active, None),
                new SnapshotterRecord("moby/2/k2", Some(2UL), SnapshotKind.Active, None),
                new SnapshotterRecord("moby/4/" + Layer, Some(3UL), SnapshotKind.Committed, None)),
            ContainerdMetadata.SnapshotterRecords(Open(Sample("native-metadata.db.gz"))).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString())));
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0L)]
    [InlineData(new byte[] { 0x01 }, -1L)]
    [InlineData(new byte[] { 0xBE, 0x06 }, 415L)]
    [InlineData(new byte[] { 0x80, 0xA0, 0x01 }, 10240L)]
    public void Sizes_are_go_zig_zag_varints(byte[] bytes, long value) => Assert.Equal(Some(value), ContainerdMetadata.Varint(bytes));

    [Fact]
    public void A_varint_that_ends_early_or_overflows_is_none()
    {
        Assert.True(ContainerdMetadata.UVarint([0x80]).IsNone);
        Assert.True(ContainerdMetadata.UVarint([]).IsNone);
        Assert.True(ContainerdMetadata.UVarint([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]).IsNone);
        Assert.Equal(Some(ulong.MaxValue), ContainerdMetadata.UVarint([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]));
    }
}
