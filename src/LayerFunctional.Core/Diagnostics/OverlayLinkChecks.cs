using System.Text;
using LayerFunctional.Go;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>overlay2's <c>link</c> and <c>lower</c> files and its <c>l/</c> short links (layer-store.md §6.6).</summary>
internal static class OverlayLinkChecks
{
    /// <summary>UTF-8 bytes as text (as <see cref="Encoding.GetString(byte[])"/>), decoded into <paramref name="buffer"/>, which
    /// grows when too small: no string per file for the lower files of a large store.</summary>
    internal static ReadOnlySpan<char> Decode(byte[] bytes, ref char[] buffer)
    {
        var most = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (buffer.Length < most) buffer = new char[Math.Max(most, buffer.Length * 2)];
        return buffer.AsSpan(0, Encoding.UTF8.GetChars(bytes, buffer));
    }

    // Entries of a lower file that are not "l/<name>" with a short link that leads somewhere, in file order; null when every
    // entry leads somewhere (the usual file builds nothing). A short link leads somewhere when l/ holds it (found by binary
    // search) and it is not among the dangling ones: no set of the 100,000 names that lead somewhere.
    private static List<string>? BadLowerEntries(LowerFile lower, NameMap<OverlayShortLink> shortLinks,
        System.Collections.Generic.HashSet<string> dangling, ref char[] buffer)
    {
        List<string>? bad = null;
        switch (lower)
        {
            case LowerFile.ShortLinks links:
                foreach (var name in links.Names)
                    if (dangling.Contains(name) || !shortLinks.ContainsKey(name)) (bad ??= []).Add("l/" + name);
                break;
            case LowerFile.Other other:
                var text = Decode(other.Bytes, ref buffer);
                foreach (var range in text.Split(':'))
                    if (!(text[range].StartsWith("l/", StringComparison.Ordinal) && shortLinks.Find(text[range][2..]).Exists(static l => l.TargetExists)))
                        (bad ??= []).Add(text[range].ToString());
                break;
        }
        return bad;
    }

    private const string LinkFolder = "l";

    /// <summary>overlay2's <c>l/</c> folder, each referenced folder's <c>link</c> and <c>lower</c> files, and the short links
    /// that lead nowhere.</summary>
    /// <param name="driver">overlay2 or fuse-overlayfs.</param>
    /// <param name="home">The driver home as read.</param>
    /// <param name="referenced">The driver IDs the layerdb names (only their folders are checked).</param>
    internal static IEnumerable<Problem> Check(DriverName driver, DriverHomeSnapshot home, System.Collections.Generic.HashSet<string> referenced)
    {
        // overlay2's Init makes l/ when it is missing (MkdirAllAndChown) and fails when something else is there.
        if (home.Home is DirectoryListing.Listed listed)
        {
            var l = listed.Entries.Find(e => e.Name == LinkFolder);
            if (!l.TrySome(out var entry))
                yield return new Problem(ProblemKind.OverlayLinkFolderInvalid, Severity.Warning, $"{driver}/{LinkFolder}", None, None, None,
                    new Fact.LinkFolderInvalid(Missing: true, driver));
            else if (entry.Type is not (EntryType.Directory or EntryType.Symlink))
                yield return new Problem(ProblemKind.OverlayLinkFolderInvalid, Severity.Error, $"{driver}/{LinkFolder}", None, None, None,
                    new Fact.LinkFolderInvalid(Missing: false, driver));
        }
        // The short links that lead nowhere (usually none), not the 100,000 that lead somewhere.
        var dangling = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, link) in home.ShortLinks)
            if (!link.TargetExists) dangling.Add(name);
        var buffer = System.Array.Empty<char>();
        foreach (var (id, folder) in home.Overlay)   // by name
        {
            if (!referenced.Contains(id)) continue;
            if (folder.Link.IsNone)
                yield return new Problem(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"{driver}/{id}/link", None, None, id,
                    new Fact.LinkFileUnusable(Missing: true));
            if (folder.Link.TrySome(out var name))
            {
                if (name.Length == 0)
                    yield return new Problem(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"{driver}/{id}/link", None, None, id,
                        new Fact.LinkFileUnusable(Missing: false));
                else if (!home.ShortLinks.ContainsKey(name))
                    // The entry to fix is the missing short link, where it should be (report.md: a missing thing is named by its path).
                    yield return new Problem(ProblemKind.OverlayLinkSymlinkMissing, Severity.Warning, $"{driver}/l/{name}", None, None, id,
                        new Fact.LinkNamesUnknown(name, driver));
            }
            if (folder.Lower.TrySome(out var lower) && BadLowerEntries(lower, home.ShortLinks, dangling, ref buffer) is { } bad)
                yield return new Problem(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"{driver}/{id}/lower", None, None, id,
                    new Fact.LowerEntriesInvalid(bad.ToSeq().Strict()));
        }
        foreach (var (name, link) in home.ShortLinks)   // by name
            if (!link.TargetExists)
                yield return new Problem(ProblemKind.OverlaySymlinkDangling, Severity.Warning, $"{driver}/l/{name}", None, None, None,
                    new Fact.ShortLinkDangling(name, link.Target));
    }
}
