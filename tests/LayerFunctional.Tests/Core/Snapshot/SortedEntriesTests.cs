using LayerFunctional.Snapshot;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>The flat tables' one builder: keys ascending without repeats; of equal keys, the key of the first entry and
/// the value of the last (what a stable sort by key, then position, gives), whatever the unstable sort did.</summary>
public class SortedEntriesTests
{
    [Fact]
    public void Of_equal_keys_the_first_key_and_the_last_value_are_kept()
    {
        // Keys equal without regard to case: which one is kept shows which entry it came from.
        var (keys, values) = SortedEntries.Of<string, int>([("b", 1), ("A", 2), ("B", 3), ("a", 4), ("b", 5), ("c", 6)], StringComparer.OrdinalIgnoreCase.Compare);
        Assert.Equal(["A", "b", "c"], keys);
        Assert.Equal([4, 5, 6], values);
    }

    [Fact]
    public void No_entry_and_one_entry_give_themselves()
    {
        var (noKeys, noValues) = SortedEntries.Of<string, int>([], string.CompareOrdinal);
        Assert.Equal((0, 0), (noKeys.Length, noValues.Length));
        var (keys, values) = SortedEntries.Of<string, int>([("a", 7)], string.CompareOrdinal);
        Assert.Equal(["a"], keys);
        Assert.Equal([7], values);
    }

    [Fact]
    public void Past_the_insertion_sort_s_sixteen_entries_the_first_key_and_the_last_value_are_still_kept()
    {
        // 40 entries (the unstable introsort, not its insertion sort): "x" and "X" alternate, then "y"/"Y", the first of
        // each run in upper case.
        var entries = Enumerable.Range(0, 40).Select(i => (Key: (i < 20 ? "x" : "y") is var k && i % 20 == 0 ? k.ToUpperInvariant() : (i % 2 == 0 ? k : k.ToUpperInvariant()), Value: i)).ToArray();
        var (keys, values) = SortedEntries.Of<string, int>(entries, StringComparer.OrdinalIgnoreCase.Compare);
        Assert.Equal(["X", "Y"], keys);
        Assert.Equal([19, 39], values);
    }

    [Fact]
    public void Many_repeated_keys_give_what_a_stable_sort_by_key_then_position_gives()
    {
        var random = new Random(14);
        for (var round = 0; round < 200; round++)
        {
            // Few distinct keys among many entries (long runs of equal keys, the case an unstable sort scrambles), and each
            // key written in either case so that the kept key tells which entry it came from.
            var distinct = random.Next(1, 12);
            var entries = Enumerable.Range(0, random.Next(0, 400))
                .Select(i =>
                {
                    var key = "k" + random.Next(distinct);
                    return (random.Next(2) == 0 ? key : key.ToUpperInvariant(), i);
                })
                .ToArray();
            var expected = entries.Select((e, position) => (e.Item1, e.i, position))
                .GroupBy(e => e.Item1, StringComparer.OrdinalIgnoreCase)
                .Select(g => (Key: g.MinBy(e => e.position).Item1, Value: g.MaxBy(e => e.position).i))
                .OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase)
                .ToArray();
            var (keys, values) = SortedEntries.Of<string, int>(entries, StringComparer.OrdinalIgnoreCase.Compare);
            Assert.Equal(expected.Select(e => e.Key), keys);
            Assert.Equal(expected.Select(e => e.Value), values);
        }
    }
}
