using System.Text;
using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>The sha256/ listing parsed as read: the layer folders moby lists as chain IDs, every other entry kept as listed.</summary>
public class LayerDbReadTests
{
    private static readonly MobyVersion V29 = MobyVersion.Parse("29.0").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1706 = MobyVersion.Parse("17.06").IfLeft(e => throw new ArgumentException(e));
    private static string Hex(string seed) => Digest.Sha256Of(Encoding.ASCII.GetBytes(seed)).Encoded;

    [Fact]
    public void Split_listing_parses_listed_folders_and_keeps_the_other_entries()
    {
        // Listed in descending order: the split sorts them.
        var (a, b) = (Hex("b"), Hex("a"));
        Assert.True(string.CompareOrdinal(a, b) < 0);
        var entries = Seq(
            new DirectoryEntry(b, EntryType.Directory), new DirectoryEntry(a, EntryType.Directory),
            new DirectoryEntry(Hex("link"), EntryType.Symlink), new DirectoryEntry(Hex("file"), EntryType.File),
            new DirectoryEntry("mounts", EntryType.Directory), new DirectoryEntry(a + "-removing", EntryType.Directory),
            new DirectoryEntry(a.ToUpperInvariant(), EntryType.Directory));
        var (others, listed) = LayerDbRead.SplitListing(new DirectoryListing.Listed(entries), V29);
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), listed.Map(c => c.Digest.Encoded));
        Assert.Equal(new DirectoryListing.Listed(entries.Skip(2).ToSeq()), others);
        // Before 18.04 upper-case hex names a listed folder too.
        var (oldOthers, oldListed) = LayerDbRead.SplitListing(new DirectoryListing.Listed(entries), V1706);
        Assert.Equal(3, oldListed.Count);
        Assert.Equal(4, ((DirectoryListing.Listed)oldOthers).Entries.Count);
    }

    [Fact]
    public void Folders_taken_while_listing_join_the_listed_ones_in_order_unless_the_listing_failed()
    {
        var (a, b, c) = (Hex("a"), Hex("b"), Hex("c"));
        var taken = new[] { c, a }.Select(h => ChainID.Parse("sha256:" + h, V29).IfLeft(e => throw new InvalidOperationException(e))).ToList();
        var rest = Seq(new DirectoryEntry(b, EntryType.Directory), new DirectoryEntry("x", EntryType.File));
        var (others, listed) = LayerDbRead.SplitListing(new DirectoryListing.Listed(rest), V29, taken);
        Assert.Equal(new[] { a, b, c }.Order(StringComparer.Ordinal), listed.Map(l => l.Digest.Encoded));
        Assert.Same(taken[1], listed.Find(l => l.Digest.Encoded == a).IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new DirectoryListing.Listed(Seq1(new DirectoryEntry("x", EntryType.File))), others);
        var failed = new DirectoryListing.Failed("permission denied");
        Assert.Equal((failed, Seq<ChainID>()), LayerDbRead.SplitListing(failed, V29, taken));
    }

    [Fact]
    public void A_listing_that_failed_or_is_absent_lists_no_layer()
    {
        var failed = new DirectoryListing.Failed("permission denied");
        Assert.Equal((failed, Seq<ChainID>()), LayerDbRead.SplitListing(failed, V29));
        Assert.Equal((new DirectoryListing.Absent(), Seq<ChainID>()), LayerDbRead.SplitListing(new DirectoryListing.Absent(), V29));
    }

    [Fact]
    public void An_absent_layerdb_lists_nothing_and_the_file_lists_follow_moby_order()
    {
        var absent = LayerDbSnapshot.Absent("image/vfs/layerdb");
        Assert.Equal(new LayerDbSnapshot("image/vfs/layerdb", false, new DirectoryListing.Absent(), new DirectoryListing.Absent(), default, default), absent);
        Assert.Equal(Seq("diff", "size", "cache-id", "parent", "descriptor.json"), LayerDbSnapshot.LayerFiles);
        Assert.Equal(Seq("mount-id", "init-id", "parent"), LayerDbSnapshot.MountFiles);
    }

    [Fact]
    public void A_layer_folder_is_named_by_its_chain_ID_under_the_layerdb()
    {
        var id = ChainID.FromDigest(Digest.Sha256Of("x"u8.ToArray()));
        var read = LayerDbRead.Of(LayerDbSnapshot.Absent("image/overlay2/layerdb"), V29);
        Assert.Equal("image/overlay2/layerdb/sha256/" + id.Digest.Encoded, read.FolderOf(id));
        Assert.Equal((false, Seq<ChainID>()), (read.Exists, read.ListedLayers));
    }
}
