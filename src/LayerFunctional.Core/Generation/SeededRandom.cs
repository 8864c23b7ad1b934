namespace LayerFunctional.Generation;

/// <summary>
/// SplitMix64: a small, fixed pseudo-random sequence from a seed, identical on every platform and
/// .NET version (unlike <see cref="System.Random"/>), so a seed always generates the same root.
/// A value: each call returns the next generator, nothing is mutated.
/// </summary>
/// <param name="State">The internal state.</param>
public readonly record struct SeededRandom(ulong State)
{
    /// <summary>The generator for a seed.</summary>
    /// <param name="seed">Any seed.</param>
    public static SeededRandom From(long seed) => new(unchecked((ulong)seed));

    /// <summary>The next 64 random bits and the generator after them.</summary>
    public (ulong Value, SeededRandom Next) NextUInt64()
    {
        var state = unchecked(State + 0x9E3779B97F4A7C15UL);
        var z = state;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (z ^ (z >> 31), new SeededRandom(state));
    }

    /// <summary>A number in [0, <paramref name="bound"/>) and the next generator.</summary>
    /// <param name="bound">Exclusive upper bound, at least 1.</param>
    public (int Value, SeededRandom Next) Below(int bound)
    {
        var (v, next) = NextUInt64();
        return ((int)(v % (ulong)Math.Max(1, bound)), next);
    }

    /// <summary><paramref name="count"/> random bytes and the next generator.</summary>
    /// <param name="count">How many bytes.</param>
    public (byte[] Bytes, SeededRandom Next) Bytes(int count)
    {
        var bytes = new byte[count];
        var r = this;
        for (var i = 0; i < count; i += 8)
        {
            (var v, r) = r.NextUInt64();
            for (var j = 0; j < 8 && i + j < count; j++) bytes[i + j] = (byte)(v >> (8 * j));
        }
        return (bytes, r);
    }

    /// <summary>64 lower-case hex characters whose first 12 are not all digits (as moby's
    /// <c>stringid.GenerateRandomID</c>), and the next generator.</summary>
    public (string Id, SeededRandom Next) RandomId()
    {
        var r = this;
        while (true)
        {
            (var bytes, r) = r.Bytes(32);
            var hex = Convert.ToHexStringLower(bytes);
            if (!hex[..12].All(char.IsAsciiDigit)) return (hex, r);
        }
    }
}
