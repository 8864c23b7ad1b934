using LanguageExt;

namespace LayerFunctional;

/// <summary>
/// One diagnostic of a check, as report.md shapes it: the kind, its severity, the path at fault
/// (relative to the docker root, <c>/</c>-separated), the object it concerns, and what was found there as typed data
/// (<see cref="Fact"/>). Checks build problems and never text: <see cref="Explain"/> makes the one-line message that
/// quotes the offending bytes and the consequence (what moby drops because of it).
/// </summary>
/// <param name="Kind">The problem kind.</param>
/// <param name="Severity">error, warning or info.</param>
/// <param name="Path">Relative to the docker root, e.g. <c>image/overlay2/layerdb/sha256/3f…/size</c>.</param>
/// <param name="ChainId">The layer concerned, if any (the chain ID naming its folder).</param>
/// <param name="Mount">The mount name concerned, if any.</param>
/// <param name="CacheId">The driver folder concerned, if any.</param>
/// <param name="Fact">What was found, as the explanation needs it.</param>
public sealed record Problem(
    ProblemKind Kind,
    Severity Severity,
    string Path,
    Option<ChainID> ChainId,
    Option<MountName> Mount,
    Option<string> CacheId,
    Fact Fact)
{
    /// <summary>Bytes on disk this problem concerns, where that is the point (an orphan driver folder:
    /// the space nobody frees); None otherwise.</summary>
    public Option<long> Bytes { get; init; }

    /// <summary>What a failing layer drops with it (<see cref="Cascade.None"/> for any other problem).</summary>
    public Cascade Cascade { get; init; } = Cascade.None;

    /// <summary>The root cause when this problem is a symptom of another problem of the same report
    /// (<see cref="LayerFunctional.Diagnostics.RootCauses"/>); None for a root cause.</summary>
    public Option<ProblemCause> CausedBy { get; init; }

    /// <summary>The problems with the bytes the shell measured under their paths, on the problems of
    /// <paramref name="kind"/> whose path was measured (orphan driver folders, orphan snapshot folders); others as they are.</summary>
    /// <param name="problems">Findings.</param>
    /// <param name="kind">The kind whose findings carry a size.</param>
    /// <param name="bytes">Apparent bytes by path relative to the root.</param>
    public static Seq<Problem> WithMeasuredBytes(Seq<Problem> problems, ProblemKind kind, IReadOnlyDictionary<string, long> bytes) =>
        problems.Map(p => p.Kind == kind && bytes.TryGetValue(p.Path, out var b) ? p with { Bytes = b } : p).Strict();

    /// <summary>Orders problems as the report does: by path, then kind id (ordinal).</summary>
    public static int Compare(Problem a, Problem b)
    {
        var c = string.CompareOrdinal(a.Path, b.Path);
        return c != 0 ? c : string.CompareOrdinal(a.Kind.Id(), b.Kind.Id());
    }
}

/// <summary>The problem another problem is a symptom of: report.md's <c>caused_by</c>.</summary>
/// <param name="Kind">The root cause's kind.</param>
/// <param name="Path">The root cause's path (the entry to fix).</param>
public sealed record ProblemCause(ProblemKind Kind, string Path);
