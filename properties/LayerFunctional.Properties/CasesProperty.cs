using FsCheck.Xunit;

namespace LayerFunctional.Properties;

/// <summary>
/// A property with the project's number of cases: 1,000 by default (CI), or <c>LAYERFN_PROPERTY_CASES</c>
/// (Stryker sets a small number, since every mutant re-runs the properties that cover it).
/// </summary>
public sealed class CasesPropertyAttribute : PropertyAttribute
{
    /// <summary>The number of cases from the environment, or 1,000.</summary>
    public static int Cases =>
        int.TryParse(Environment.GetEnvironmentVariable("LAYERFN_PROPERTY_CASES"), out var n) && n > 0 ? n : 1000;

    public CasesPropertyAttribute() => MaxTest = Cases;
}
