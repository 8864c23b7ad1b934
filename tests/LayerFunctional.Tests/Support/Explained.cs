using LanguageExt;

namespace LayerFunctional.Tests.Support;

/// <summary>A problem as the report shows it: its fields and <see cref="Explain"/>'s message and consequence. Tests that
/// predate typed facts compare these; the wording of each fact is pinned in <c>ExplainTests</c>.</summary>
public sealed record Explained(
    ProblemKind Kind, Severity Severity, string Path, Option<string> ChainId, Option<string> Mount, Option<string> CacheId,
    string Message, string Consequence)
{
    /// <summary>The problem, explained.</summary>
    public static Explained Of(Problem p) =>
        new(p.Kind, p.Severity, p.Path, p.ChainId, p.Mount, p.CacheId, Explain.Message(p), Explain.Consequence(p));
}
