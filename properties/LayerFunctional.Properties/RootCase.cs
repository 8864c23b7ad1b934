using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Properties;

/// <summary>
/// One generated root: a seed, sizes and a stack of corruptions (library generator and corrupters). Its
/// <see cref="ToString"/> is what FsCheck prints for a failing case: the seed and the two commands that
/// write the failing root to disk and re-run every check on it.
/// </summary>
public sealed record RootCase(long Seed, GeneratorOptions Options, Seq<ProblemKind> Corruptions)
{
    // A cache keyed by the case's own values: `with` copies fields, so a plain Lazy would keep the model of the copied case.
    private (RootCase Key, GeneratedRoot Root)? cached;

    /// <summary>The generated model (built once per value).</summary>
    public GeneratedRoot Model
    {
        get
        {
            if (cached is { } c && c.Key.Seed == Seed && c.Key.Options == Options && c.Key.Corruptions == Corruptions) return c.Root;
            var root = Corrupters.Generate(Seed, Options, Corruptions).IfLeft(e => throw new InvalidOperationException(e));
            cached = (this, root);
            return root;
        }
    }

    /// <summary>The arguments of <c>layerfn generate</c> after the folder.</summary>
    public string GenerateArguments => Model.CommandLine("DIR")["layerfn generate DIR ".Length..];

    /// <summary>The layerdb as the shell reads it from the model in memory.</summary>
    public LayerDbSnapshot Snapshot()
    {
        using var reader = new DockerRootReader(InMemoryRootFileSystem.Root, new InMemoryRootFileSystem(Model));
        return reader.ReadLayerDbSnapshot("overlay2", MobyVersion.Default);
    }

    public override string ToString()
    {
        const string dir = "/tmp/layerfn-replay";
        return $"seed {Seed}; replay: rm -rf {dir} && dotnet run --project src/LayerFunctional.Cli -- generate {dir} {GenerateArguments}"
               + $" && LAYERFN_REPLAY_ROOT={dir} LAYERFN_REPLAY_ARGS='{GenerateArguments}' dotnet test properties/LayerFunctional.Properties --filter Replay_a_saved_root";
    }

    /// <summary>Parses <c>--seed N --layers K --mounts M --images I --corrupt KIND ...</c> (the replay arguments).</summary>
    public static Either<string, RootCase> Parse(string arguments) =>
        GenerateRequest.Parse(arguments).Map(r => new RootCase(r.Seed, r.Options, r.Corruptions));
}

public static class RootCaseGen
{
    private static readonly ProblemKind[] Stackable = Corrupters.Kinds.Filter(k => !Corrupters.Exclusive.Contains(k)).ToArray();
    private static readonly ProblemKind[] Exclusive = Corrupters.Exclusive.ToArray();

    /// <summary>Valid roots of 1-12 layers, 0-3 mounts, 0-3 images.</summary>
    public static Gen<RootCase> Valid =>
        from seed in Gen.Choose(0, int.MaxValue)
        from layers in Gen.Choose(1, 12)
        from mounts in Gen.Choose(0, 3)
        from images in Gen.Choose(0, 3)
        select new RootCase(seed, new GeneratorOptions(layers, mounts, images), Empty);

    /// <summary>Roots with a stack of 0-4 stackable corruptions (a tenth of them with one exclusive corruption instead).</summary>
    public static Gen<RootCase> Corrupted =>
        from valid in Valid
        from exclusive in Gen.Choose(0, 9)
        from kinds in exclusive == 0
            ? Gen.Elements(Exclusive).Select(k => new[] { k })
            : Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(Stackable), n))
        select valid with { Corruptions = kinds.ToSeq() };
}

public static class RootCaseArbitraries
{
    public static Arbitrary<RootCase> Case() => RootCaseGen.Corrupted.ToArbitrary();
}
