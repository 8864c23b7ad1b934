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
}
