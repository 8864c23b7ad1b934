namespace LayerFunctional;

/// <summary>Small pieces of English shared by the consequence texts.</summary>
internal static class Wording
{
    /// <summary>"1 layer", "2 layers": <paramref name="n"/> and the noun, with an s unless n is 1.</summary>
    internal static string Plural(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
