namespace LayerFunctional.Tests.Core.Generation;

/// <summary>Generated roots: byte for byte the same for one seed, and chain IDs that follow §5.</summary>
public class RootGeneratorTests
{
    [Fact]
    public void Generation_is_byte_for_byte_deterministic()
    {
        var a = LayerFunctional.Generation.RootGenerator.Generate(99, new LayerFunctional.Generation.GeneratorOptions(12, 3, 2));
        var b = LayerFunctional.Generation.RootGenerator.Generate(99, new LayerFunctional.Generation.GeneratorOptions(12, 3, 2));
        Assert.Equal(a.Entries, b.Entries);
        Assert.NotEqual(a.Entries, LayerFunctional.Generation.RootGenerator.Generate(100, new LayerFunctional.Generation.GeneratorOptions(12, 3, 2)).Entries);
        // Every generated chain ID follows §5 from its parent and diff ID.
        Assert.All(a.Layers, l => Assert.Equal(ChainID.Compute(l.Parent, l.DiffID), l.ChainID));
    }
}
