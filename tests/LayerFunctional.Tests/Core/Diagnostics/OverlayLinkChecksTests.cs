using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>overlay2's link and lower files and its l/ short links (layer-store.md §6.6), with exact problems and clean-up items.</summary>
public class OverlayLinkChecksTests : RootChecksFixture
{
    [Fact]
    public void A_lower_entry_is_invalid_when_its_short_link_dangles_or_l_does_not_hold_it_in_either_form_of_lower_file()
    {
        var (snap, _, _, _) = DriverStore();
        // ONLY is a name the lower files were read with but no short link of the home: both lower files below are kept as names.
        string[] names = ["AAA", "DANG", "ONLY"];
        var home = Home([CacheA, CacheB, MountId, MountId + "-init"],
            HashMap(
                (CacheA, Overlay("AAA", "l/AAA:l/DANG:l/ONLY", names)),
                (CacheB, Overlay("AAA", "l/ONLY:l/AAA", names)),
                (MountId, Overlay("AAA", "l/DANG:l/AAA:l/MISSING", names)),
                (MountId + "-init", Overlay("AAA", "l/AAA", names))),
            HashMap(("AAA", new OverlayShortLink("../" + MountId + "-init/diff", true)), ("DANG", new OverlayShortLink("../gone/diff", false))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        Assert.Equal(Seq(
                Found(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheA}/lower", new Fact.LowerEntriesInvalid(Seq("l/DANG", "l/ONLY")), cache: CacheA),
                Found(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheB}/lower", new Fact.LowerEntriesInvalid(Seq1("l/ONLY")), cache: CacheB),
                Found(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{MountId}/lower", new Fact.LowerEntriesInvalid(Seq("l/DANG", "l/MISSING")), cache: MountId)),
            r.Problems.Filter(p => p.Kind == ProblemKind.OverlayLowerEntryInvalid));
    }

    [Fact]
    public void Overlay_link_and_lower_files_are_checked_for_referenced_folders()
    {
        var (snap, _, _, _) = DriverStore();
        string[] shortLinks = ["AAA", "DANG"];
        var home = Home([CacheA, CacheB, MountId, MountId + "-init"],
            HashMap(
                (CacheA, Overlay(None, "l/AAA:l/GONE:x/AAA", shortLinks)),
                (CacheB, Overlay("", "l/DANG", shortLinks)),
                (MountId, Overlay("NOPE", "l/AAA", shortLinks)),
                (MountId + "-init", Overlay("AAA", None, shortLinks)),
                ("unreferenced", Overlay(None, "bad", shortLinks))),
            HashMap(("AAA", new OverlayShortLink("../" + MountId + "-init/diff", true)), ("DANG", new OverlayShortLink("../gone/diff", false))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        var linkAndLower = r.Problems.Filter(p => p.Kind is ProblemKind.OverlayLinkFileEmpty or ProblemKind.OverlayLinkSymlinkMissing
            or ProblemKind.OverlayLowerEntryInvalid or ProblemKind.OverlaySymlinkDangling);
        Assert.Equal(Seq(
                Found(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"overlay2/{CacheA}/link", new Fact.LinkFileUnusable(Missing: true), cache: CacheA),
                Found(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheA}/lower", new Fact.LowerEntriesInvalid(Seq("l/GONE", "x/AAA")), cache: CacheA),
                Found(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"overlay2/{CacheB}/link", new Fact.LinkFileUnusable(Missing: false), cache: CacheB),
                Found(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheB}/lower", new Fact.LowerEntriesInvalid(Seq1("l/DANG")), cache: CacheB),
                Found(ProblemKind.OverlayLinkSymlinkMissing, Severity.Warning, "overlay2/l/NOPE", new Fact.LinkNamesUnknown("NOPE", "overlay2"), cache: MountId),
                Found(ProblemKind.OverlaySymlinkDangling, Severity.Warning, "overlay2/l/DANG", new Fact.ShortLinkDangling("DANG", "../gone/diff")))
                .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            linkAndLower.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        Assert.Equal(Seq1(new CleanupItem("overlay2/l/DANG", ProblemKind.OverlaySymlinkDangling, "dangling short link")), r.Cleanup);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(EntryType.File, false)]
    [InlineData(EntryType.Other, false)]
    [InlineData(EntryType.Directory, null)]
    [InlineData(EntryType.Symlink, null)]
    public void The_folder_of_short_links_is_missing_or_not_a_folder(EntryType? l, bool? missing)
    {
        var (snap, _, _, _) = DriverStore();
        var entries = Seq(CacheA, CacheB, MountId, MountId + "-init").Map(n => new DirectoryEntry(n, EntryType.Directory));
        if (l is { } type) entries = entries.Add(new DirectoryEntry("l", type));
        var listing = new DirectoryListing.Listed(entries);
        var home = new DriverHomeSnapshot("overlay2", listing, HashMap(("", (DirectoryListing)listing)), default, default);
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        var found = r.Problems.Filter(p => p.Kind == ProblemKind.OverlayLinkFolderInvalid);
        Assert.Equal(
            Optional(missing).Map(m => Found(ProblemKind.OverlayLinkFolderInvalid, m ? Severity.Warning : Severity.Error, "overlay2/l",
                new Fact.LinkFolderInvalid(Missing: m, "overlay2"))).ToSeq(),
            found);
        // overlay2's Init fails on a file there (mkdir l: not a directory): the daemon refuses to start.
        Assert.Equal(missing == false, r.DaemonRefuses);
    }
}
