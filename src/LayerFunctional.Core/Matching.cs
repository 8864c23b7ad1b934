using LanguageExt;

namespace LayerFunctional;

/// <summary>
/// Typed matches on LanguageExt's <see cref="Option{A}"/> and <see cref="Either{L, R}"/> for loops and early
/// returns, where a <c>Match</c> lambda cannot <c>break</c>, <c>return</c> or assign. They replace
/// <c>.Case is T x</c> casts: the type comes from the value, so a changed type is a compile error, and an
/// <c>Either</c> whose two sides have the same type is still read by its side.
/// </summary>
public static class Matching
{
    /// <summary>True with the value when <paramref name="option"/> is Some.</summary>
    public static bool TrySome<T>(this Option<T> option, out T value)
    {
        value = option.MatchUnsafe(static v => v, static () => default!)!;
        return option.IsSome;
    }

    /// <summary>True with the right value when <paramref name="either"/> is Right.</summary>
    public static bool TryRight<L, R>(this Either<L, R> either, out R right)
    {
        right = either.MatchUnsafe(static r => r, static _ => default!);
        return either.IsRight;
    }

    /// <summary>Matches an <see cref="Either{L,R}"/> into its Right value or its Left value, for step-by-step code.</summary>
    /// <param name="either">The value to match.</param>
    /// <param name="right">The Right value when Right; default otherwise.</param>
    /// <param name="left">The Left value when Left; default otherwise.</param>
    /// <returns>True when Right.</returns>
    public static bool TryRight<L, R>(this Either<L, R> either, out R right, out L left)
    {
        right = either.MatchUnsafe(static r => r, static _ => default!);
        left = either.MatchUnsafe(static _ => default!, static l => l);
        return either.IsRight;
    }

    /// <summary>True with the left value when <paramref name="either"/> is Left.</summary>
    public static bool TryLeft<L, R>(this Either<L, R> either, out L left)
    {
        left = either.MatchUnsafe(static _ => default!, static l => l);
        return either.IsLeft;
    }
}
