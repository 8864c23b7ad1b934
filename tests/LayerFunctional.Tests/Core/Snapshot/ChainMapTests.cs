using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary><see cref="ChainMap{T}"/>: a map by chain ID held as two sorted arrays; the same answers as a hash map, in chain-ID order.</summary>
public class ChainMapTests
{
    private static ChainID C(string text) => ChainID.Parse(text, MobyVersion.Default).IfLeft(e => throw new InvalidOperationException(e));

    private static readonly ChainID A = C("sha256:" + new string('a', 64));
    private static readonly ChainID B = C("sha256:" + new string('b', 64));
    private static readonly ChainID D = C("sha256:" + new string('d', 64));
    private static readonly ChainID Sha512 = C("sha512:" + new string('0', 128));
    private static readonly ChainID Absent = C("sha256:" + new string('c', 64));

    private static readonly ChainMap<int> Map = ChainMap<int>.Of([(D, 4), (A, 1), (Sha512, 5), (B, 2)]);

    [Fact]
    public void Entries_come_in_chain_ID_order_whatever_order_they_were_given_in()
    {
        Assert.Equal([A, B, D, Sha512], Map.Keys);
        Assert.Equal([1, 2, 4, 5], Map.Values);
        Assert.Equal([(A, 1), (B, 2), (D, 4), (Sha512, 5)], Map.AsEnumerable());
        var walked = new List<(ChainID, int)>();
        foreach (var (key, value) in Map) walked.Add((key, value));
        Assert.Equal([(A, 1), (B, 2), (D, 4), (Sha512, 5)], walked);
        Assert.Equal(4, Map.Count);
        Assert.False(Map.IsEmpty);
    }

    [Fact]
    public void Every_key_is_found_and_an_absent_one_is_not()
    {
        foreach (var (key, value) in new[] { (A, 1), (B, 2), (D, 4), (Sha512, 5) })
        {
            Assert.Equal(Some(value), Map.Find(key));
            Assert.True(Map.ContainsKey(key));
            Assert.True(Map.TryGetValue(key, out var found));
            Assert.Equal(value, found);
        }
        Assert.Equal(None, Map.Find(Absent));
        Assert.False(Map.ContainsKey(Absent));
        Assert.False(Map.TryGetValue(Absent, out var none));
        Assert.Equal(0, none);
        Assert.False(ChainMap<int>.Of([(A, 1)]).ContainsKey(B));
        Assert.False(ChainMap<int>.Of([(B, 1)]).ContainsKey(A));
    }

    [Fact]
    public void Of_equal_keys_the_later_value_is_kept()
    {
        var map = ChainMap<int>.Of([(B, 1), (A, 7), (B, 2), (B, 3)]);
        Assert.Equal([(A, 7), (B, 3)], map.AsEnumerable());
    }

    [Fact]
    public void Of_many_equal_keys_among_others_the_last_given_is_kept()
    {
        // Enough entries for the sort to leave insertion sort: the order given must still decide between equal keys.
        var entries = Enumerable.Range(0, 200).Select(i => (i % 3 == 0 ? A : i % 3 == 1 ? B : D, i)).ToList();
        Assert.Equal([(A, 198), (B, 199), (D, 197)], ChainMap<int>.Of(entries).AsEnumerable());
    }

    [Fact]
    public void The_default_map_is_empty_and_answers_without_failing()
    {
        var empty = default(ChainMap<int>);
        Assert.True(empty.IsEmpty);
        Assert.Equal(0, empty.Count);
        Assert.Equal(None, empty.Find(A));
        Assert.Empty(empty.Keys);
        Assert.Empty(empty.Values);
        Assert.Empty(empty.AsEnumerable());
        Assert.Equal(ChainMap<int>.Of([]), empty);
        Assert.True(empty.Filter(_ => true).IsEmpty);
        Assert.True(empty.Map((_, v) => v).IsEmpty);
    }

    [Fact]
    public void Filter_and_map_keep_the_chain_IDs_and_their_order()
    {
        Assert.Equal([(B, 2), (D, 4)], Map.Filter(v => v % 2 == 0).AsEnumerable());
        Assert.Equal([(A, 1), (D, 4)], Map.Filter((k, v) => k == A || v == 4).AsEnumerable());
        Assert.Equal([(A, "1a"), (B, "2b"), (D, "4d"), (Sha512, "50")], Map.Map((k, v) => v + k.Digest.Encoded[..1]).AsEnumerable());
    }

    [Fact]
    public void Maps_are_equal_entry_by_entry_and_one_converts_from_a_hash_map()
    {
        var same = ChainMap<int>.Of([(A, 1), (B, 2), (D, 4), (Sha512, 5)]);
        Assert.Equal(Map, same);
        Assert.True(Map == same);
        Assert.False(Map != same);
        Assert.Equal(Map.GetHashCode(), same.GetHashCode());
        Assert.True(Map.Equals((object)same));
        Assert.NotEqual(Map, ChainMap<int>.Of([(A, 1), (B, 2), (D, 4), (Sha512, 6)]));
        Assert.NotEqual(Map, ChainMap<int>.Of([(A, 1), (B, 2), (Absent, 4), (Sha512, 5)]));
        Assert.NotEqual(Map, ChainMap<int>.Of([(A, 1), (B, 2), (D, 4)]));
        Assert.True(Map != ChainMap<int>.Of([(A, 1)]));
        Assert.False(Map.Equals("not a map"));
        ChainMap<int> converted = HashMap((Sha512, 5), (B, 2), (A, 1), (D, 4));
        Assert.Equal(Map, converted);
    }
}
