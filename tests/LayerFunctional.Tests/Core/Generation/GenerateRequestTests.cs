using LanguageExt;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Generation;

/// <summary>The generate arguments a replay line prints, read back.</summary>
public class GenerateRequestTests
{
    [Fact]
    public void A_command_line_parses_back_to_the_same_request()
    {
        var root = Corrupters.Generate(77, new GeneratorOptions(9, 2, 3, 500), Seq(ProblemKind.SizeInvalid, ProblemKind.ContainerCrashesDaemon))
            .IfLeft(e => throw new InvalidOperationException(e));
        var arguments = root.CommandLine("DIR")["layerfn generate DIR ".Length..];
        Assert.Equal("--seed 77 --layers 9 --mounts 2 --images 3 --file-size 500 --corrupt size_invalid --corrupt container_crashes_daemon", arguments);
        var request = GenerateRequest.Parse(arguments).IfLeft(e => throw new InvalidOperationException(e));
        Assert.Equal((77L, new GeneratorOptions(9, 2, 3, 500)), (request.Seed, request.Options));
        Assert.Equal(Seq(ProblemKind.SizeInvalid, ProblemKind.ContainerCrashesDaemon), request.Corruptions);
        Assert.Equal(root.Entries, request.Generate().IfLeft(e => throw new InvalidOperationException(e)).Entries);
    }

    [Theory]
    [InlineData("--seed x", "--seed needs a number, not x")]
    [InlineData("--layers -1", "--layers needs a number, not -1")]
    [InlineData("--seed 1 --color red", "unknown argument --color")]
    [InlineData("--corrupt no_such_kind", "unknown kind no_such_kind")]
    [InlineData("--seed", "argument --seed has no value")]
    public void Bad_arguments_say_which(string arguments, string error) =>
        Assert.Equal(error, GenerateRequest.Parse(arguments).Match(Right: r => $"parsed {r}", Left: e => e));
}
