using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>Listing entries by name: sorted ordinal, later duplicates win, found by binary search.</summary>
public class NameMapTests
{
    [Fact]
    public void Entries_are_sorted_by_name_ordinal_and_a_later_duplicate_replaces_an_earlier_one()
    {
        var map = NameMap<int>.Of([("b", 1), ("a", 2), ("B", 3), ("b", 4), ("ab", 5)]);
        Assert.Equal([("B", 3), ("a", 2), ("ab", 5), ("b", 4)], map.ToArray());
        Assert.Equal(4, map.Count);
    }

    [Fact]
    public void Names_given_in_order_are_held_as_given_and_names_out_of_order_are_sorted_as_Of_sorts_them()
    {
        string[] names = ["B", "a", "ab", "b"];
        int[] values = [3, 2, 5, 4];
        var sorted = NameMap<int>.OfSorted(names, values);
        Assert.Equal([("B", 3), ("a", 2), ("ab", 5), ("b", 4)], sorted.ToArray());
        Assert.Equal(Some(5), sorted.Find("ab"));
        Assert.Equal(NameMap<int>.Of([("b", 1), ("a", 2), ("b", 4)]), NameMap<int>.OfSorted(["b", "a", "b"], [1, 2, 4]));
        Assert.Equal(NameMap<int>.Of([("a", 1), ("a", 2)]), NameMap<int>.OfSorted(["a", "a"], [1, 2]));
        Assert.Equal(1, NameMap<int>.OfSorted(["a", "a"], [1, 2]).Count);
        Assert.Throws<ArgumentException>(() => NameMap<int>.OfSorted(["a"], []));
        Assert.True(NameMap<int>.OfSorted([], []).IsEmpty);
    }

    [Fact]
    public void Find_and_ContainsKey_use_exact_names()
    {
        var map = NameMap<int>.Of(Enumerable.Range(0, 1000).Select(i => ($"n{i:D4}", i)));
        for (var i = 0; i < 1000; i += 37)
            Assert.Equal(Some(i), map.Find($"n{i:D4}"));
        Assert.True(map.ContainsKey("n0999"));
        Assert.False(map.ContainsKey("N0999"));
        Assert.True(map.Find("n1000").IsNone);
        Assert.True(map.Find("").IsNone);
        Assert.Equal(Some(999), map.Find("xn0999".AsSpan(1)));
        Assert.Equal(Some(0), map.Find("n0000".AsSpan()));
        Assert.True(map.Find("n0999x".AsSpan(0, 4)).IsNone);
        Assert.True(default(NameMap<int>).Find("n0001".AsSpan()).IsNone);
    }

    [Fact]
    public void IndexOfSorted_finds_a_name_in_a_sorted_array_by_its_characters()
    {
        // Names that share their first four characters, a NUL inside the first four, names shorter than four.
        string[] names = ["a", "ab", "abcd", "abcde", "abcdf", "abc\0", "b", "ba", "c"];
        System.Array.Sort(names, string.CompareOrdinal);
        var heads = NameMap.HeadsOf(names);
        foreach (var (name, at) in names.Select((n, i) => (n, i)))
            Assert.Equal(at, NameMap.IndexOfSorted(names, heads, name.AsSpan()));
        Assert.Equal(new[] { -1, -1, -1, -1, -1, -1 },
            new[] { "", "aa", "abcdd", "abcdeg", "abc", "d" }.Select(n => NameMap.IndexOfSorted(names, heads, n.AsSpan())));
        Assert.Equal(System.Array.IndexOf(names, "ba"), NameMap.IndexOfSorted(names, heads, "xba/".AsSpan(1, 2)));
        Assert.Equal(-1, NameMap.IndexOfSorted([], [], "a".AsSpan()));
    }

    [Fact]
    public void Heads_order_as_the_names_do()
    {
        string[] names = ["", "\0", "a", "a\0", "a\0b", "ab", "abcd", "abcdz", "abce", "\uffff"];
        var heads = NameMap.HeadsOf(names);
        Assert.Equal(new ulong[] { 0, 0, 0x61UL << 48, 0x61UL << 48, 0x61UL << 48 | 0x62UL << 16, 0x61UL << 48 | 0x62UL << 32,
            0x0061_0062_0063_0064, 0x0061_0062_0063_0064, 0x0061_0062_0063_0065, 0xffffUL << 48 }, heads);
    }

    [Fact]
    public void The_default_map_is_empty()
    {
        var map = default(NameMap<string>);
        Assert.True(map.IsEmpty);
        Assert.Empty(map);
        Assert.True(map.Find("x").IsNone);
        Assert.Equal(NameMap<string>.Of([]), map);
    }

    [Fact]
    public void Maps_are_equal_when_their_names_and_values_are()
    {
        NameMap<int> fromHashMap = HashMap(("x", 1), ("y", 2));
        Assert.Equal(NameMap<int>.Of([("y", 2), ("x", 1)]), fromHashMap);
        Assert.True(fromHashMap == NameMap<int>.Of([("x", 1), ("y", 2)]));
        Assert.NotEqual(NameMap<int>.Of([("x", 1), ("y", 3)]), fromHashMap);
        Assert.NotEqual(NameMap<int>.Of([("x", 1)]), fromHashMap);
        Assert.True(NameMap<int>.Of([("x", 1)]) != fromHashMap);
        Assert.Equal(NameMap<int>.Of([("x", 1), ("y", 2), ("z", 0)]), fromHashMap.SetItem("z", 0));
        Assert.Equal(NameMap<int>.Of([("x", 5), ("y", 2)]), fromHashMap.SetItem("x", 5));
    }
}
