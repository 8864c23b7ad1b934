using LayerFunctional.Snapshot;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>overlay2 short links: the compact ../&lt;folder&gt;/diff form equals the same link held as text.</summary>
public class OverlayShortLinkTests
{
    private static readonly string Id = new('c', 64);

    [Fact]
    public void A_link_into_a_folders_diff_equals_the_same_link_held_as_text()
    {
        var compact = OverlayShortLink.ToDiffOf(Id, true);
        Assert.Equal("../" + Id + "/diff", compact.Target);
        Assert.Equal(new OverlayShortLink("../" + Id + "/diff", true), compact);
        Assert.Equal(new OverlayShortLink("../" + Id + "/diff", true).GetHashCode(), compact.GetHashCode());
        Assert.NotEqual(new OverlayShortLink("../" + Id + "/diff", false), compact);
        Assert.NotEqual(new OverlayShortLink("../" + Id + "-init/diff", true), compact);
    }
}
