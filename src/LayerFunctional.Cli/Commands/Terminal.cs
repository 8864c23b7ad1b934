using LayerFunctional.Edge;

namespace LayerFunctional.Cli.Commands;

/// <summary>What the CLI shows on a terminal: progress lines on stderr, colour on stdout.</summary>
internal static class Terminal
{
    /// <summary>Colour only on a terminal, never with <c>NO_COLOR</c> set (no-color.org) or <c>TERM=dumb</c>.</summary>
    public static bool UseColour() =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    /// <summary>Whether <paramref name="stderr"/> is the process's own stderr and a terminal (progress is shown there only).</summary>
    /// <param name="stderr">The error writer.</param>
    public static bool IsErrorTerminal(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>A one-line progress display for content verification: bytes verified of bytes to verify.</summary>
    /// <param name="stderr">The error writer.</param>
    public static LanguageExt.Option<Action<long, long>> ContentProgressLine(TextWriter stderr) =>
        new Action<long, long>((done, total) =>
        {
            lock (stderr)
            {
                stderr.Write(done >= total
                    ? "\r\u001b[K"
                    : $"\rverifying content: {HumanReport.HumanSize(done)} / {HumanReport.HumanSize(total)} ({(total == 0 ? 100 : done * 100 / total)}%)\u001b[K");
                stderr.Flush();
            }
        });

    /// <summary>One self-overwriting line on a terminal's stderr; cleared when the next output starts.</summary>
    /// <param name="stderr">The error writer.</param>
    public sealed class ReadProgressLine(TextWriter stderr) : IProgress<ReadProgress>
    {
        /// <summary>Shows how far a read has come (reads run on several threads: one line at a time).</summary>
        /// <param name="value">The progress.</param>
        public void Report(ReadProgress value)
        {
            lock (stderr)
            {
                stderr.Write($"\r\u001b[2Kreading {value.Phase}: {value.Done}/{value.Total}");
                stderr.Flush();
            }
        }

        /// <summary>Clears the line.</summary>
        public void Clear()
        {
            stderr.Write("\r\u001b[2K");
            stderr.Flush();
        }
    }

    /// <summary>Indented JSON written by <paramref name="body"/>, ending with a newline.</summary>
    /// <param name="body">Writes one value.</param>
    public static string JsonText(Action<System.Text.Json.Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        // As the report's JSON: quotes, apostrophes and non-ASCII text as themselves (a mount command holds ' quoting).
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions
               {
                   Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
            body(w);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
