using System.Text;
using LayerFunctional.Snapshot;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>One instance per identifier value: a known value comes back as the known instance, any other as itself.</summary>
public class SharedIdsTests
{
    private static ChainID Chain(string seed) => ChainID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(seed)));

    [Fact]
    public void A_known_chain_ID_comes_back_as_the_known_instance()
    {
        var known = Chain("a");
        var ids = new SharedIds([known], []);
        var parsedAgain = Chain("a");
        Assert.NotSame(known, parsedAgain);
        Assert.Same(known, ids.Share(parsedAgain));
        var other = Chain("b");
        Assert.Same(other, ids.Share(other));
    }

    [Fact]
    public void A_known_name_comes_back_as_the_known_instance_compared_ordinal()
    {
        var known = new string('a', 64);
        var ids = new SharedIds([], [known, "Cache"]);
        var decoded = new string('a', 64);
        Assert.Same(known, ids.Share(decoded));
        var lower = "cache";
        Assert.Same(lower, ids.Share(lower));
    }

    [Fact]
    public void None_shares_nothing()
    {
        var id = Chain("a");
        Assert.Same(id, SharedIds.None.Share(id));
        var name = new string('b', 3);
        Assert.Same(name, SharedIds.None.Share(name));
    }

    [Fact]
    public void A_known_name_given_as_bytes_comes_back_as_the_known_instance_and_any_other_as_its_text()
    {
        var known = new string('a', 64);
        var ids = new SharedIds([], [known, "b\u00e9"]);
        Assert.Same(known, ids.Share(System.Text.Encoding.UTF8.GetBytes(new string('a', 64))));
        Assert.Equal(new string('a', 63), ids.Share(System.Text.Encoding.UTF8.GetBytes(new string('a', 63))));
        // Not ASCII: decoded as UTF-8 (equal, but not looked up), invalid bytes as U+FFFD.
        Assert.Equal("b\u00e9", ids.Share(System.Text.Encoding.UTF8.GetBytes("b\u00e9")));
        Assert.Equal("x\uFFFD", ids.Share([(byte)'x', 0xff]));
        // Longer than a name can be: decoded, never looked up from the stack.
        var longName = new string('a', 257);
        Assert.Equal(longName, SharedIds.None.Share(System.Text.Encoding.UTF8.GetBytes(longName)));
        Assert.Equal(longName, new SharedIds([], [longName]).Share(System.Text.Encoding.UTF8.GetBytes(longName)));
        Assert.Same(known, ids.Share(System.Text.Encoding.UTF8.GetBytes(known).AsSpan()));
    }
}
