using System.Buffers.Binary;
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

    private static byte[] Sample(string name) => ContainerdSamples.Read(name);

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
    public void A_key_a_damaged_page_repeats_is_given_once_as_first_found()
    {
        var page = InlinePage(0x02, (0, "a", "1"u8.ToArray()), (0, "a", "2"u8.ToArray()), (0, "b", "3"u8.ToArray()));
        var db = Open(Sample("meta.db.gz"));
        var entries = db.Entries(new BoltBucket(0, page)).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(Seq(("a", "1"), ("b", "3")), entries.Map(e => (e.Name, System.Text.Encoding.UTF8.GetString(e.Value.Span))));
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
        Assert.Equal(Seq(("native", "k1", "moby/1/k1", Option<string>.None), ("native", "k2", "moby/2/k2", None), ("native", Layer, "moby/4/" + Layer, None)),
            ns.Snapshots.Map(s => (s.Snapshotter, s.Key, s.BackendName, s.Parent)));
        // ctr marks the snapshots it prepares as roots of garbage collection; the unpacked layer is held by its config's label.
        Assert.Equal(Seq(Seq1("containerd.io/gc.root"), Seq1("containerd.io/gc.root"), Seq<string>()), ns.Snapshots.Map(s => s.Labels.Keys.ToSeq().Strict()));
        // ctr gives a lease a day: containerd.io/gc.expire.
        Assert.Equal(Seq1(new ContainerdLease("l1", Empty, Empty) { Labels = HashMap(("containerd.io/gc.expire", "2026-12-06T00:24:49Z")) }), ns.Leases);
        Assert.Equal(Some(new DateTimeOffset(2026, 12, 6, 0, 24, 49, TimeSpan.Zero)), ns.Leases.Head.Expires);
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
        // Go reads at most ten bytes: an eleventh is never reached.
        Assert.True(ContainerdMetadata.UVarint([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).IsNone);
    }

    [Fact]
    public void A_bucket_of_400_keys_is_read_through_its_branch_page_in_key_order_and_a_4000_byte_value_through_its_overflow_page()
    {
        var db = Open(Sample("big-meta.db.gz"));
        Assert.Equal(toSeq(Enumerable.Range(0, 400).Select(i => "k" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture))),
            Keys(db, "v1", "moby", "snapshots", "native"));
        var note = db.Bucket("v1", "moby", "leases", "big", "labels")
            .Bind(b => b.Match(Some: labels => db.Get(labels, "note"), None: () => Right<BoltError, Option<BoltEntry>>(None)))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(Some(new string('x', 4000)), note.Map(e => System.Text.Encoding.ASCII.GetString(e.Value.Span)));
        // The snapshots bucket's root is a branch page: a loop from it is caught, and a child past the file is out of range.
        var native = db.Bucket("v1", "moby", "snapshots", "native").IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()))
            .IfNone(() => throw new Xunit.Sdk.XunitException("no bucket"));
        var at = (int)native.RootPage * 4096;
        var bytes = Sample("big-meta.db.gz");
        Assert.Equal(0x01, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 8)));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 10));
        Assert.True(count > 1);
        var loop = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(loop.AsSpan(at + 16 + (count - 1) * 16 + 8), native.RootPage);
        var looped = Open(loop);
        Assert.Equal(new BoltError.Cycle(native.RootPage), looped.Entries(native).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
        var past = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(past.AsSpan(at + 16 + 8), 1_000_000);
        Assert.Equal(new BoltError.PageOutOfRange(1_000_000, $"branch element 0 of page {native.RootPage}"),
            Open(past).Entries(native).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
        var tooMany = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(tooMany.AsSpan(at + 10), 1000);
        Assert.Equal(new BoltError.BadPage(native.RootPage, "1000 branch elements do not fit"),
            Open(tooMany).Entries(native).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
    }

    private static BoltError MetaError(byte[] bytes) =>
        BoltFile.Open(bytes).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("opened"));

    // Rewrites meta page `page` with `change` applied to its 64 bytes, and a fresh checksum.
    private static byte[] Meta(byte[] bytes, int page, Action<byte[]> change)
    {
        var damaged = (byte[])bytes.Clone();
        var meta = damaged.AsSpan(page * 4096 + 16, 64).ToArray();
        change(meta);
        BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(56), BoltFile.Fnv1a64(meta.AsSpan(0, 56)));
        meta.CopyTo(damaged, page * 4096 + 16);
        return damaged;
    }

    [Fact]
    public void Each_fault_of_a_meta_page_is_named()
    {
        var bytes = Sample("meta.db.gz");
        Assert.Equal(new BoltError.NoValidMeta("page 0: the file ends before it; page 1: the file ends before it"), MetaError(bytes[..79]));
        var notMeta = (byte[])bytes.Clone();
        notMeta[8] = 0x02;
        notMeta[4096 + 8] = 0x02;
        Assert.Equal(new BoltError.NoValidMeta("page 0: not a meta page; page 1: not a meta page"), MetaError(notMeta));
        var version = Meta(Meta(bytes, 0, m => m[4] = 3), 1, m => m[4] = 3);
        Assert.Equal(new BoltError.NoValidMeta("page 0: not version 2; page 1: not version 2"), MetaError(version));
        var size = Meta(Meta(bytes, 0, m => BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), 3000)), 1, m => BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), 256));
        Assert.Equal(new BoltError.NoValidMeta("page 0: page size 3000; page 1: page size 256"), MetaError(size));
        var huge = Meta(Meta(bytes, 0, m => BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), 1 << 21)), 1, m => m[0] = 0);
        Assert.Equal(new BoltError.NoValidMeta("page 0: page size 2097152; page 1: bad magic"), MetaError(huge));
        // The higher transaction ID wins, whichever page it is on.
        var db = Open(bytes);
        var other = 1 - db.Meta.Page;
        var later = Meta(bytes, other, m => BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(48), db.Meta.TxId + 1));
        Assert.Equal((other, db.Meta.TxId + 1), (Open(later).Meta.Page, Open(later).Meta.TxId));
        Assert.Equal(new BoltMeta(db.Meta.Page, 4096, db.Meta.RootPage, db.Meta.FreelistPage, db.Meta.HighWater, db.Meta.TxId), db.Meta);
        Assert.Equal((29UL, true), (db.Meta.HighWater, db.Meta.RootPage is > 1 and < 29));   // 32 pages in the file, 29 in use
    }

    [Fact]
    public void Each_fault_of_a_data_page_is_named()
    {
        var bytes = Sample("meta.db.gz");
        var db = Open(bytes);
        var page = db.Meta.Page;
        var root = (int)db.Meta.RootPage * 4096;
        BoltError Read(byte[] damaged, [System.Runtime.CompilerServices.CallerLineNumber] int line = 0) { var d = Open(damaged); return d.Entries(d.Root).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read at line " + line)); }
        Assert.Equal(new BoltError.PageOutOfRange(1, "the bucket's root"), Read(Meta(bytes, page, m => BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(16), 1))));
        Assert.Equal(new BoltError.PageOutOfRange(32, "the bucket's root"), Read(Meta(bytes, page, m => BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(16), 32))));
        var header = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(root), 9);
        Assert.Equal(new BoltError.BadPage(db.Meta.RootPage, "its header says page 9"), Read(header));
        var overflow = (byte[])bytes.Clone();
        // Overflow pages up to the high-water mark are the page's; one more runs past the data.
        BinaryPrimitives.WriteUInt32LittleEndian(overflow.AsSpan(root + 12), (uint)(db.Meta.HighWater - db.Meta.RootPage));
        Assert.Equal(new BoltError.BadPage(db.Meta.RootPage, $"{db.Meta.HighWater - db.Meta.RootPage} overflow page(s) run past the file"), Read(overflow));
        var lastPage = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(lastPage.AsSpan(root + 12), (uint)(db.Meta.HighWater - 1 - db.Meta.RootPage));
        Assert.Equal(Seq1("v1"), Open(lastPage).Entries(Open(lastPage).Root).Map(e => e.Map(x => x.Name)).IfLeft(Empty));
        var shortFile = Meta(bytes, page, m => BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(40), 40));   // a high-water mark past the file
        var cut = (byte[])shortFile.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(root + 12), (uint)(32 - db.Meta.RootPage));
        Assert.Equal(new BoltError.BadPage(db.Meta.RootPage, $"{32 - db.Meta.RootPage} overflow page(s) run past the file"), Read(cut));
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(root + 12), (uint)(31 - db.Meta.RootPage));
        Assert.Equal(Seq1("v1"), Open(cut).Entries(Open(cut).Root).Map(e => e.Map(x => x.Name)).IfLeft(Empty));
        Assert.Equal(new BoltError.PageOutOfRange(32, "the bucket's root"), Read(Meta(shortFile, page, m => BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(16), 32))));
        var flags = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(flags.AsSpan(root + 8), 0x10);
        Assert.Equal(new BoltError.BadPage(db.Meta.RootPage, "flags 0x10 where a branch or leaf page should be"), Read(flags));
        var count = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(count.AsSpan(root + 10), 300);
        Assert.Equal(new BoltError.BadPage(db.Meta.RootPage, "300 leaf elements do not fit"), Read(count));
        var fits = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(fits.AsSpan(root + 10), 255);   // 16 + 255 * 16 = 4096: the elements just fit
        // The zeros are 254 elements of one empty key: given once, after "v1".
        Assert.Equal(Seq("v1", ""), Open(fits).Entries(Open(fits).Root).Map(e => e.Map(x => x.Name)).IfLeft(Empty));
    }

    // A file of the sample's two meta pages, rooted at page 2, with these pages from page 2 on (each given its ID) and the
    // high-water mark after them.
    private static byte[] WithPages(params byte[][] pages)
    {
        var sample = Sample("meta.db.gz");
        var file = new byte[(2 + pages.Length) * 4096];
        sample.AsSpan(0, 2 * 4096).CopyTo(file);
        for (var i = 0; i < pages.Length; i++)
        {
            pages[i].CopyTo(file.AsSpan((2 + i) * 4096));
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan((2 + i) * 4096), (ulong)(2 + i));
        }
        foreach (var page in new[] { 0, 1 })
        {
            var meta = file.AsSpan(page * 4096 + 16, 64);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[16..], 2);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[40..], (ulong)(2 + pages.Length));
            BinaryPrimitives.WriteUInt64LittleEndian(meta[56..], BoltFile.Fnv1a64(meta[..56]));
        }
        return file;
    }

    // A branch page whose elements lead to these pages.
    private static byte[] BranchPage(params ulong[] children)
    {
        var page = new byte[16 + children.Length * 16];
        BinaryPrimitives.WriteUInt16LittleEndian(page.AsSpan(8), 0x01);
        BinaryPrimitives.WriteUInt16LittleEndian(page.AsSpan(10), (ushort)children.Length);
        for (var i = 0; i < children.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(16 + i * 16 + 8), children[i]);
        return page;
    }

    // A bucket value with its tree at a page.
    private static byte[] BucketAt(ulong root)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(value, root);
        return value;
    }

    [Fact]
    public void A_page_two_buckets_name_as_their_root_is_a_bad_page_so_shared_pages_cannot_multiply_the_buckets()
    {
        // Page 2 (the root bucket) names page 3 as the root of both "a" and "b"; page 3 names page 3 again for each of its keys:
        // read as named, three levels of 250 such keys would be 15 million buckets.
        var db = Open(WithPages(
            InlinePage(0x02, (1, "a", BucketAt(3)), (1, "b", BucketAt(3))),
            InlinePage(0x02, (0, "k", "v"u8.ToArray()))));
        Assert.Equal(new BoltError.BadPage(3, "the root of two buckets (leaf element 0 of page 2 and leaf element 1 of page 2)"),
            db.Entries(db.Root).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
        var looped = Open(WithPages(InlinePage(0x02, (1, "a", BucketAt(2)))));
        Assert.Equal(new BoltError.BadPage(2, "the root of two buckets (the meta page's root bucket and leaf element 0 of page 2)"),
            looped.Entries(looped.Root).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
    }

    [Fact]
    public void A_page_in_the_trees_of_two_buckets_is_a_bad_page_and_a_bucket_read_again_is_read_the_same()
    {
        // "a" and "b" have their own root pages (3, 4), but both branch into leaf page 5.
        var db = Open(WithPages(
            InlinePage(0x02, (1, "a", BucketAt(3)), (1, "b", BucketAt(4))),
            BranchPage(5), BranchPage(5),
            InlinePage(0x02, (0, "k", "v"u8.ToArray()))));
        var buckets = db.Entries(db.Root).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString())).Map(e => e.Bucket.IfNone(() => throw new Xunit.Sdk.XunitException("no bucket")));
        Assert.Equal(Seq1("k"), db.Entries(buckets[0]).Map(e => e.Map(x => x.Name)).IfLeft(Empty));
        Assert.Equal(Seq1("k"), db.Entries(buckets[0]).Map(e => e.Map(x => x.Name)).IfLeft(Empty));
        Assert.Equal(new BoltError.BadPage(5, "in the trees of two buckets (rooted at pages 3 and 4)"),
            db.Entries(buckets[1]).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
    }

    [Fact]
    public void Each_fault_reads_as_a_plain_sentence_fragment()
    {
        Assert.Equal(
            new[]
            {
                "no valid meta page (page 0: bad magic; page 1: bad checksum)",
                "page 9, named by branch element 2 of page 4, is past the file or its high-water mark",
                "an inline bucket's page: shorter than a page header",
                "page 5: in the trees of two buckets (rooted at pages 3 and 4)",
                "page 7 is reached twice in one bucket's tree, or the tree is deeper than 64 levels",
            },
            new BoltError[]
            {
                new BoltError.NoValidMeta("page 0: bad magic; page 1: bad checksum"), new BoltError.PageOutOfRange(9, "branch element 2 of page 4"),
                new BoltError.BadPage(0, "shorter than a page header"), new BoltError.BadPage(5, "in the trees of two buckets (rooted at pages 3 and 4)"),
                new BoltError.Cycle(7),
            }.Select(e => e.Text));
    }

    [Fact]
    public void An_inline_bucket_that_names_a_bucket_with_pages_is_a_bad_page()
    {
        var db = Open(Sample("meta.db.gz"));
        var inline = InlinePage(0x02, (0, "k", "v"u8.ToArray()), (1, "paged", BucketAt(2)));
        Assert.Equal(new BoltError.BadPage(2, "the root of bucket element 1 of an inline bucket, which bbolt never gives a bucket"),
            db.Entries(new BoltBucket(0, inline)).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read")));
    }

    // An inline bucket's page: a leaf page header, then elements (flags, position from the element, key and value sizes).
    private static byte[] InlinePage(ushort pageFlags, params (uint Flags, string Key, byte[] Value)[] elements)
    {
        var data = new List<byte>();
        var head = new byte[16 + elements.Length * 16];
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(8), pageFlags);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)elements.Length);
        for (var i = 0; i < elements.Length; i++)
        {
            var at = 16 + i * 16;
            var key = System.Text.Encoding.ASCII.GetBytes(elements[i].Key);
            BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(at), elements[i].Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(at + 4), (uint)(head.Length + data.Count - at));
            BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(at + 8), (uint)key.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(at + 12), (uint)elements[i].Value.Length);
            data.AddRange(key);
            data.AddRange(elements[i].Value);
        }
        return [.. head, .. data];
    }

    [Fact]
    public void Inline_buckets_are_read_from_their_value_and_checked_like_pages()
    {
        var db = Open(Sample("meta.db.gz"));
        var nested = InlinePage(0x02, (0, "k", "v"u8.ToArray()));
        var page = InlinePage(0x02, (0, "a", "1"u8.ToArray()), (1, "b", [.. new byte[16], .. nested]));
        var entries = db.Entries(new BoltBucket(0, page)).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(Seq("a", "b"), entries.Map(e => e.Name));
        var inner = entries[1].Bucket.IfNone(() => throw new Xunit.Sdk.XunitException("not a bucket"));
        Assert.Equal((0UL, nested.Length), (inner.RootPage, inner.Inline.Length));
        Assert.Equal(Seq1("k"), db.Entries(inner).Map(e => e.Map(x => x.Name)).IfLeft(Empty));
        BoltError Fault(byte[] bytes) => db.Entries(new BoltBucket(0, bytes)).Swap().IfLeft(() => throw new Xunit.Sdk.XunitException("read"));
        Assert.Equal(new BoltError.BadPage(0, "shorter than a page header"), Fault(new byte[15]));
        Assert.Equal(new BoltError.BadPage(0, "an inline bucket that is not a leaf page"), Fault(InlinePage(0x01, (0, "a", [1]))));
        Assert.Equal(new BoltError.BadPage(0, "leaf element 0 is a bucket shorter than its header"), Fault(InlinePage(0x02, (1, "b", new byte[15]))));
        Assert.Equal(new BoltError.BadPage(0, "leaf element 0 is an inline bucket without its page"), Fault(InlinePage(0x02, (1, "b", new byte[16]))));
        var withRoot = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(withRoot, 7);
        // bbolt inlines only a bucket without buckets: one naming a bucket with pages is damage.
        Assert.Equal(new BoltError.BadPage(7, "the root of bucket element 0 of an inline bucket, which bbolt never gives a bucket"),
            Fault(InlinePage(0x02, (1, "b", withRoot))));
        var two = InlinePage(0x02, (0, "a", [1]), (0, "b", [2]));
        BinaryPrimitives.WriteUInt16LittleEndian(two.AsSpan(10), 3);   // a third element over the first one's key
        Assert.Equal(new BoltError.BadPage(0, "3 leaf elements do not fit"), Fault(two[..(16 + 2 * 16)]));
    }
}
