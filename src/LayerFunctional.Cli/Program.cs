using System.CommandLine;

namespace LayerFunctional.Cli;

/// <summary>The <c>layerfn</c> command line: parses the arguments, runs one command (a file each under <c>Commands/</c>),
/// and turns a bug into one error line and exit code 2.</summary>
public static class Program
{
    /// <summary>Exit code when the tool could not do its job (bad arguments, unreadable root).</summary>
    public const int UsageOrRootError = 2;

    /// <summary>Entry point.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>0, 1 or 2 as report.md defines them.</returns>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with explicit output writers (used by tests).</summary>
    /// <param name="args">Arguments.</param>
    /// <param name="stdout">Where reports go.</param>
    /// <param name="stderr">Where errors and logs go.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildCommand(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"layerfn: {e.Message}");
            stderr.WriteLine("Run 'layerfn --help' for usage.");
            return UsageOrRootError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input (bad input is a problem in the report): one line, no stack trace.
            stderr.WriteLine($"layerfn: internal error ({e.GetType().Name}: {e.Message}); please report it with the command line");
            return UsageOrRootError;
        }
    }

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr) =>
        new("layerfn: see exactly what dockerd will load from its layer store, offline and read-only, and what is wrong with it.")
        {
            Commands.CheckCommand.Create(stdout, stderr),
            Commands.WhichCommand.Create(stdout, stderr),
            Commands.GenerateCommand.Create(stdout, stderr),
            Commands.GraphCommand.Create(stdout, stderr),
            Commands.MountCommandCommand.Create(stdout, stderr),
            Commands.VersionCommand.Create(stdout),
        };
}
