using System.CommandLine;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using Prelude = LanguageExt.Prelude;

namespace LayerFunctional.Cli.Commands;

/// <summary><c>layerfn generate</c>: a random docker root from a seed, valid or with chosen faults (<see cref="Corrupters"/>),
/// written to a new folder (<see cref="RootWriter"/>).</summary>
internal static class GenerateCommand
{
    /// <summary>The command.</summary>
    /// <param name="stdout">Where the summary goes.</param>
    /// <param name="stderr">Where errors go.</param>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var target = new Argument<string>("DIR") { Description = "A new or empty folder to write the docker root into." };
        var seed = new Option<long?>("--seed") { Description = "The seed (0 or more): the same seed always writes the same bytes. Default: a random seed, printed." };
        var layers = new Option<int>("--layers") { Description = "Number of layers.", DefaultValueFactory = _ => 6 };
        var mounts = new Option<int>("--mounts") { Description = "Number of container mounts.", DefaultValueFactory = _ => 2 };
        var images = new Option<int>("--images") { Description = "Number of images.", DefaultValueFactory = _ => 2 };
        var fileSize = new Option<int>("--file-size") { Description = "Bytes in every layer file (default: random sizes under 700 bytes); for roots that measure 'check --content'." };
        var corrupt = new Option<string[]>("--corrupt")
        {
            Description = "Add one fault that produces this problem kind (repeatable; stacks). Kinds: "
                          + string.Join(", ", Corrupters.Kinds.Map(k => k.Id())) + ".",
            HelpName = "KIND",
        };
        var archives = new Option<string?>("--oci-archives")
        {
            Description = "Also write each image as an OCI image layout tar into this new or empty folder (<n>.tar, named docker.io/library/layerfn-gen<n>:latest), for 'ctr -n moby images import' or 'docker load'. Only a root whose layers are intact can be archived.",
            HelpName = "DIR",
        };
        var json = SharedOptions.Json("Print the seed, the counts, the replay command and the expected check as JSON.");
        var generate = new Command("generate", """
            Write a random overlay2 docker root: layers with real tar streams, diff and chain IDs,
            tar-split files, overlay2 folders and links, images, containers with mounts and init layers.
            Valid unless --corrupt adds faults; then it prints the exact problems a check must report
            and the check command (some kinds need --driver or --moby-version).

            Examples:
              layerfn generate /tmp/root --seed 42
              layerfn generate /tmp/bad --seed 42 --corrupt size_invalid --corrupt parent_cycle
              layerfn generate /tmp/big --seed 7 --layers 10000 --mounts 1000 --images 100
            """)
        {
            target, seed, layers, mounts, images, corrupt, fileSize, archives, json,
        };
        generate.SetAction(parse =>
        {
            if (parse.GetValue(layers) < 1 || parse.GetValue(mounts) < 0 || parse.GetValue(images) < 0 || parse.GetValue(fileSize) < 0)
                return SharedOptions.Fail(stderr, "--layers must be at least 1; --mounts, --images and --file-size cannot be negative");
            if (parse.GetValue(seed) is < 0) return SharedOptions.Fail(stderr, "--seed must be 0 or more");
            var s = parse.GetValue(seed) ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);
            var dir = parse.GetValue(target)!;
            var kinds = (parse.GetValue(corrupt) ?? []).Select(id => (id, Corrupters.ParseKind(id))).ToList();
            if (kinds.Find(k => k.Item2.IsNone) is { id: { } unknown })
                return SharedOptions.Fail(stderr, $"--corrupt {unknown}: not a problem kind with a corrupter (see --help)");
            return Corrupters.Generate(s, new GeneratorOptions(parse.GetValue(layers), parse.GetValue(mounts), parse.GetValue(images), parse.GetValue(fileSize)),
                    Prelude.toSeq(kinds.Select(k => k.Item2.IfNone(default(ProblemKind)))))
                .Match(
                    Left: refused => SharedOptions.Fail(stderr, refused),
                    Right: root => RootWriter.Write(dir, root).Bind(count =>
                            parse.GetValue(archives) is { } folder
                                ? RootWriter.WriteImageArchives(folder, root).Map(written => (count, written))
                                : (count, LanguageExt.Seq<(string Path, string Name)>.Empty)).Match(
                        Right: done =>
                        {
                            var (count, written) = done;
                            if (parse.GetValue(json))
                            {
                                stdout.Write(Json(root, dir, count));
                                return 0;
                            }
                            stdout.WriteLine($"seed {s}: wrote {count} entries ({root.Layers.Count} layers, {root.Mounts.Count} mounts, {root.Images.Count} images) to {dir}");
                            stdout.WriteLine("replay: " + root.CommandLine(dir) + (parse.GetValue(archives) is { } into ? " --oci-archives " + into : ""));
                            foreach (var (path, name) in written) stdout.WriteLine($"image archive: {path} ({name})");
                            if (!root.Corruptions.IsEmpty)
                            {
                                stdout.WriteLine("check: " + CheckLine(root, dir));
                                foreach (var p in root.Expected.Problems) stdout.WriteLine($"expect: {p.Kind.Id()} {p.Path}");
                            }
                            return 0;
                        },
                        Left: error => SharedOptions.Fail(stderr, error)));
        });
        return generate;
    }

    /// <summary>The check that reports exactly what a generated root's corruptions promise.</summary>
    private static string CheckLine(GeneratedRoot root, string dir) =>
        "layerfn check " + dir
        + root.Expected.Driver.Map(d => " --driver " + d).IfNone("")
        + (root.Expected.Moby == MobyVersion.Default ? "" : " --moby-version " + root.Expected.Moby)
        + (root.Expected.NeedsContent ? " --content" : "");

    private static string Json(GeneratedRoot root, string dir, int entries) =>
        Terminal.JsonText(w =>
        {
            w.WriteStartObject();
            w.WriteString("directory", dir);
            w.WriteNumber("seed", root.Seed);
            w.WriteNumber("entries", entries);
            w.WriteNumber("layers", root.Layers.Count);
            w.WriteNumber("mounts", root.Mounts.Count);
            w.WriteNumber("images", root.Images.Count);
            w.WriteString("replay", root.CommandLine(dir));
            w.WriteStartArray("corruptions");
            foreach (var k in root.Corruptions) w.WriteStringValue(k.Id());
            w.WriteEndArray();
            w.WriteStartObject("expected");
            w.WriteString("check", CheckLine(root, dir));
            if (root.Expected.Driver.TrySome(out var d)) w.WriteString("driver", d.Value); else w.WriteNull("driver");
            w.WriteString("moby", root.Expected.Moby.ToString());
            w.WriteStartArray("problems");
            foreach (var p in root.Expected.Problems)
            {
                w.WriteStartObject();
                w.WriteString("kind", p.Kind.Id());
                w.WriteString("path", p.Path);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
