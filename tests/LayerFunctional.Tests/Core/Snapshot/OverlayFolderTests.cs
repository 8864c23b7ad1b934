using System.Text;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>
/// An overlay2 folder's <c>link</c> and <c>lower</c> files kept as the names of <c>l/</c> (the listing's instances)
/// when they are the usual text, and as read otherwise: the checks see the same text either way.
/// </summary>
public class OverlayFolderTests
{
    private static readonly string Aaa = new('A', 26);
    private static readonly string Bbb = new('B', 26);
    private static readonly ShortLinkNames Names = new([Aaa, Bbb]);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void The_usual_lower_file_is_kept_as_the_l_listing_s_own_name_instances_in_file_order()
    {
        var lower = Assert.IsType<LowerFile.ShortLinks>(LowerFile.Of(Bytes($"l/{Bbb}:l/{Aaa}"), Names));
        Assert.Equal([Bbb, Aaa], lower.Names);
        Assert.True(Names.TryGet(Bbb, out var known) && ReferenceEquals(known, lower.Names[0]));
        Assert.Equal(new LowerFile.ShortLinks([Bbb, Aaa]), lower);
        Assert.NotEqual(new LowerFile.ShortLinks([Aaa, Bbb]), lower);
    }

    [Theory]
    [InlineData("")]                    // empty: one empty entry
    [InlineData("l/AAAAAAAAAAAAAAAAAAAAAAAAAA:")]   // a trailing separator: an empty entry
    [InlineData("l/AAAAAAAAAAAAAAAAAAAAAAAAAA\n")]  // a trailing newline is part of the name
    [InlineData("l/AAAAAAAAAAAAAAAAAAAAAAAAAA:l/GONE")]   // a name l/ does not hold
    [InlineData("x/AAAAAAAAAAAAAAAAAAAAAAAAAA")]    // not "l/"
    [InlineData("l/AAAAAAAAAAAAAAAAAAAAAAAAA\u00c9")]   // not ASCII
    public void Any_other_lower_file_is_kept_as_its_bytes(string text)
    {
        var bytes = Bytes(text);
        var lower = Assert.IsType<LowerFile.Other>(LowerFile.Of(bytes, Names));
        Assert.Same(bytes, lower.Bytes);
        Assert.Equal(new LowerFile.Other(Bytes(text)), lower);
    }

    [Fact]
    public void A_lower_file_of_8_KB_is_kept_as_names_and_a_longer_one_as_its_bytes()
    {
        var name = new string('C', 8190);
        var longer = name + "C";
        var names = new ShortLinkNames([name, longer]);
        Assert.Equal([name], Assert.IsType<LowerFile.ShortLinks>(LowerFile.Of(Bytes("l/" + name), names)).Names);   // 8192 bytes
        Assert.IsType<LowerFile.Other>(LowerFile.Of(Bytes("l/" + longer), names));                                 // 8193 bytes
        // overlay2's deepest chain, 128 entries of 29 bytes, is well under the limit.
        var deepest = string.Join(':', Enumerable.Repeat("l/" + Aaa, 128));
        Assert.Equal(128, Assert.IsType<LowerFile.ShortLinks>(LowerFile.Of(Bytes(deepest), Names)).Names.Length);
    }

    [Fact]
    public void A_link_file_is_decoded_as_UTF_8_and_shares_the_l_listing_s_instance_when_it_names_one()
    {
        var folder = OverlayFolder.Of(Some(Bytes(Aaa)), None, Names);
        Assert.True(folder.Link.TrySome(out var link) && Names.TryGet(Aaa, out var known) && ReferenceEquals(known, link));
        Assert.Equal(Some("NOPE"), OverlayFolder.Of(Some(Bytes("NOPE")), None, Names).Link);
        Assert.Equal(Some("\uFFFDx"), OverlayFolder.Of(Some(new byte[] { 0xff, (byte)'x' }), None, Names).Link);
        Assert.Equal(Some(""), OverlayFolder.Of(Some(System.Array.Empty<byte>()), None, Names).Link);
        Assert.True(OverlayFolder.Of(None, None, Names).Link.IsNone);
        Assert.True(OverlayFolder.Of(None, None, ShortLinkNames.None).Lower.IsNone);
        Assert.IsType<LowerFile.Other>(OverlayFolder.Of(None, Some(Bytes("l/" + Aaa)), ShortLinkNames.None).Lower.IfNone(() => throw new InvalidOperationException()));
    }

    [Fact]
    public void A_link_file_naming_a_listed_name_that_is_not_ASCII_or_is_long_still_shares_the_instance()
    {
        var accented = "\u00c9" + new string('A', 25);
        var longName = new string('D', 300);
        var names = new ShortLinkNames([accented, longName]);
        Assert.True(names.TryGet(accented, out var known) && ReferenceEquals(known, names.Decode(Bytes(accented))));
        Assert.True(names.TryGet(longName, out var knownLong) && ReferenceEquals(knownLong, names.Decode(Bytes(longName))));
        Assert.Equal(new string('D', 299), names.Decode(Bytes(new string('D', 299))));
    }

    [Fact]
    public void A_folder_is_a_value_its_lower_names_read_without_a_wrapper_and_equal_to_one_built_from_the_same_bytes()
    {
        var usual = OverlayFolder.Of(Some(Bytes(Aaa)), Some(Bytes($"l/{Bbb}:l/{Aaa}")), Names);
        Assert.True(usual.LowerShortLinks.TrySome(out var names) && names.Length == 2 && ReferenceEquals(names[0], usual.LowerShortLinks.IfNone([])[0]));
        Assert.Equal([Bbb, Aaa], names);
        Assert.Equal(new LowerFile.ShortLinks([Bbb, Aaa]), usual.Lower.IfNone(() => throw new InvalidOperationException()));
        var other = OverlayFolder.Of(Some(Bytes(Aaa)), Some(Bytes("x")), Names);
        Assert.True(other.LowerShortLinks.IsNone);
        Assert.Equal(new LowerFile.Other(Bytes("x")), other.Lower.IfNone(() => throw new InvalidOperationException()));
        Assert.True(OverlayFolder.Of(None, None, Names).LowerShortLinks.IsNone);

        Assert.Equal(OverlayFolder.Of(Some(Bytes(Aaa)), Some(Bytes($"l/{Bbb}:l/{Aaa}")), Names), usual);
        Assert.True(OverlayFolder.Of(Some(Bytes(Aaa)), Some(Bytes($"l/{Bbb}:l/{Aaa}")), Names) == usual);
        Assert.Equal(OverlayFolder.Of(Some(Bytes(Aaa)), Some(Bytes($"l/{Bbb}:l/{Aaa}")), Names).GetHashCode(), usual.GetHashCode());
        Assert.True(usual != other);
        Assert.NotEqual(OverlayFolder.Of(Some(Bytes(Bbb)), Some(Bytes($"l/{Bbb}:l/{Aaa}")), Names), usual);
        Assert.NotEqual(OverlayFolder.Of(None, Some(Bytes($"l/{Bbb}:l/{Aaa}")), Names), usual);
        Assert.NotEqual(OverlayFolder.Of(Some(Bytes(Aaa)), None, Names), usual);
        Assert.Equal(default, OverlayFolder.Of(None, None, Names));
    }
}
