using System.CommandLine;

namespace LayerFunctional.Cli.Commands;

/// <summary><c>layerfn version</c>: the tool's version, the moby releases whose rules it knows and the report schema.</summary>
internal static class VersionCommand
{
    /// <summary>The command.</summary>
    /// <param name="stdout">Where the versions go.</param>
    public static Command Create(TextWriter stdout)
    {
        var json = SharedOptions.Json("Print the versions as JSON.");
        var version = new Command("version", """
            Print layerfn's version, the moby releases whose rules it knows and the report schema.

            Examples:
              layerfn version
              layerfn version --json
            """) { json };
        version.SetAction(parse =>
        {
            var informational = BuildVersion.Text;
            if (parse.GetValue(json))
                stdout.Write(Terminal.JsonText(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("layerfn", informational);
                    w.WriteString("default_moby_rules", MobyVersion.Default.ToString());
                    w.WriteString("oldest_moby_rules", "17.06");
                    w.WriteString("report_schema", ReportJson.Schema);
                    w.WriteEndObject();
                }));
            else
                stdout.WriteLine($"layerfn {informational} (moby rules {MobyVersion.Covered}, default {MobyVersion.Default}; report schema {ReportJson.Schema})");
            return 0;
        });
        return version;
    }
}
