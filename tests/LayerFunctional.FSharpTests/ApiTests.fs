/// The public API as an F# programmer uses it: load a root, pattern-match problems, pipe over layers.
/// No adapter code: records, Option/Either from LanguageExt, enums, and functions taking F# lambdas.
module LayerFunctional.FSharpTests.ApiTests

open System.IO
open Xunit
open LanguageExt
open LayerFunctional
open LayerFunctional.Edge
open LayerFunctional.Generation

let rec private repoRoot (dir: DirectoryInfo) =
    if File.Exists(Path.Combine(dir.FullName, "LayerFunctional.sln")) then dir.FullName
    else repoRoot dir.Parent

let private sampleRoot =
    Path.Combine(repoRoot (DirectoryInfo(System.AppContext.BaseDirectory)), "samples", "docker-root")

/// The check as an F# Result.
let private check (options: CheckOptions) : Result<CheckReport, string> =
    Checker.Check(options).Match(Right = (fun (report: CheckReport) -> Ok report), Left = (fun (error: string) -> Error error))

/// What a problem means for an operator, by pattern matching on its kind.
let private verdict (p: Problem) =
    match p.Kind with
    | ProblemKind.SizeInvalid | ProblemKind.SizeMissing | ProblemKind.SizeNegative -> "size file"
    | ProblemKind.AncestorUnloadable -> "lost with its parent"
    | ProblemKind.MountParentUnloadable -> "container lost"
    | ProblemKind.ImageLayerMissing -> "image lost"
    | _ -> "other"

[<Fact>]
let ``the sample root loads three layers and drops two, with one verdict per problem`` () =
    match check (CheckOptions(sampleRoot, MobyVersion.Default, Option<DriverName>.None)) with
    | Error e -> failwith e
    | Ok report ->
        let loaded = report.Store.Layers |> Seq.map (fun l -> l.ChainID.Short, l.ReferenceCount, l.Depth) |> List.ofSeq
        Assert.Equal<(string * int * int) list>(
            [ "28c55d30e061", 1, 2; "6508e5ae4956", 1, 1; "eff9fc81dcd2", 1, 3 ] |> List.sort,
            loaded |> List.sort)
        Assert.Equal(2, report.Store.SkippedLayers.Count)
        let verdicts = report.Problems |> Seq.map verdict |> Seq.sort |> List.ofSeq
        Assert.Equal<string list>([ "container lost"; "image lost"; "lost with its parent"; "size file" ], verdicts)
        Assert.Equal(1, report.ExitCode)

[<Fact>]
let ``total size of the loaded layers, by piping over them`` () =
    match check (CheckOptions(sampleRoot, MobyVersion.Default, Option<DriverName>.None)) with
    | Error e -> failwith e
    | Ok report ->
        let total = report.Store.Layers |> Seq.sumBy (fun l -> l.Size)
        Assert.Equal(36L + 53L + 22L, total)
        let parentOf =
            report.Store.Layers
            |> Seq.map (fun l -> l.ChainID.Short, l.Parent.Match(Some = (fun (p: ChainID) -> p.Short), None = (fun () -> "-")))
            |> Map.ofSeq
        Assert.Equal("28c55d30e061", parentOf.["eff9fc81dcd2"])
        Assert.Equal("-", parentOf.["6508e5ae4956"])

[<Fact>]
let ``a generated root with one corruption reports exactly what the generator promises`` () =
    let root =
        Corrupters.Generate(42L, GeneratorOptions(5, 1, 1), Prelude.Seq1 ProblemKind.SizeInvalid)
            .Match(Right = (fun (r: GeneratedRoot) -> r), Left = (fun (e: string) -> failwith e))
    let report =
        Checker.CheckGenerated(CheckOptions("/generated", root.Expected.Moby, root.Expected.Driver), root)
            .Match(Right = (fun (r: CheckReport) -> r), Left = (fun (e: string) -> failwith e))
    let expected = root.Expected.Problems |> Seq.map (fun p -> p.Kind, p.Path) |> List.ofSeq
    let actual = report.Problems |> Seq.map (fun p -> p.Kind, p.Path) |> List.ofSeq
    Assert.Equal<(ProblemKind * string) list>(expected, actual)
    Assert.True(actual |> List.exists (fun (k, _) -> k = ProblemKind.SizeInvalid))

[<Fact>]
let ``chain IDs compose as the image spec says`` () =
    let diff (text: string) =
        DiffID.Parse("sha256:" + System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes text)), MobyVersion.Default)
            .Match(Right = (fun (d: DiffID) -> d), Left = (fun (e: string) -> failwith e))
    let a, b = diff "a", diff "b"
    let baseChain = ChainID.Compute(Option<ChainID>.None, a)
    let top = ChainID.Compute(Prelude.Some baseChain, b)
    Assert.Equal(a.ToString(), baseChain.ToString())
    let expected =
        "sha256:" + System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(baseChain.ToString() + " " + b.ToString())))
    Assert.Equal(expected, top.ToString())
