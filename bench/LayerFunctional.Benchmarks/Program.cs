using BenchmarkDotNet.Running;

namespace LayerFunctional.Benchmarks;

/// <summary>Entry point: hands the command line to BenchmarkDotNet (e.g. <c>--filter '*' --job short</c>).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks that the arguments select.</summary>
    /// <param name="args">BenchmarkDotNet's command-line arguments.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
