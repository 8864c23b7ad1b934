using System.Diagnostics;

namespace LayerFunctional.DaemonTests;

/// <summary>Runs only where a real containerd and ctr can start (root, both installed, <c>LAYERFN_DAEMON</c> not 0).</summary>
public sealed class ContainerdFactAttribute : FactAttribute
{
    public ContainerdFactAttribute()
    {
        if (Containerd.WhyNot is string why) Skip = why;
    }
}

/// <summary>
/// A real containerd (Debian's, 1.6, installed with docker.io) started offline with its <c>root</c> where dockerd keeps the
/// containerd it manages (<c>&lt;docker root&gt;/containerd/daemon</c>), its <c>state</c> and socket in a temporary folder,
/// the CRI plugin off; driven with <c>ctr -n moby</c> (Docker's namespace), then stopped with SIGTERM so that its stores are
/// closed before they are checked.
/// </summary>
public sealed class Containerd : IDisposable
{
    private static string? Find(string name) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>Why the containerd tests cannot run here, or null when they can.</summary>
    public static string? WhyNot =>
        Dockerd.WhyNot is string why ? why.Replace("the daemon tests", "the containerd tests", StringComparison.Ordinal).Replace("start a real dockerd", "start a real containerd", StringComparison.Ordinal)
        : Find("containerd") is null || Find("ctr") is null ? "the containerd tests need containerd and ctr (apt-get install -y docker.io brings both); .ci/run installs them"
        : null;

    private readonly Process process;
    private readonly string socket;

    /// <summary>Starts containerd with <paramref name="root"/> as its root and its state under <paramref name="state"/>.</summary>
    /// <param name="root">containerd's root (e.g. <c>&lt;docker root&gt;/containerd/daemon</c>).</param>
    /// <param name="state">A new folder for its state and socket (keep the path short: a unix socket path has at most 107 bytes).</param>
    public Containerd(string root, string state)
    {
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(state);
        socket = Path.Combine(state, "containerd.sock");
        var config = Path.Combine(state, "config.toml");
        File.WriteAllText(config, $"""
            version = 2
            root = "{root}"
            state = "{state}"
            [grpc]
              address = "{socket}"
            [plugins."io.containerd.grpc.v1.cri"]
              disable = true
            """);
        process = Process.Start(new ProcessStartInfo(Find("containerd")!, ["--config", config])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (Ctr("version").Code != 0)
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException($"containerd did not start (exit {(process.HasExited ? process.ExitCode : -1)})");
            Thread.Sleep(100);
        }
    }

    /// <summary>Runs <c>ctr --address SOCKET -n moby ARGS</c>.</summary>
    /// <param name="args">ctr's arguments after the namespace.</param>
    /// <returns>The exit code and standard output (standard error appended).</returns>
    public (int Code, string Output) Ctr(params string[] args)
    {
        var info = new ProcessStartInfo(Find("ctr")!, ["--address", socket, "-n", "moby", .. args])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        using var ctr = Process.Start(info)!;
        var output = ctr.StandardOutput.ReadToEndAsync();
        var error = ctr.StandardError.ReadToEndAsync();
        if (!ctr.WaitForExit(TimeSpan.FromSeconds(120))) { ctr.Kill(); return (-1, "ctr timed out"); }
        return (ctr.ExitCode, output.Result + error.Result);
    }

    /// <summary>Runs ctr and fails the test when it fails.</summary>
    /// <param name="args">ctr's arguments after the namespace.</param>
    public string Must(params string[] args)
    {
        var (code, output) = Ctr(args);
        if (code != 0) throw new InvalidOperationException($"ctr {string.Join(' ', args)} failed ({code}): {output}");
        return output;
    }

    /// <summary>Stops containerd (SIGTERM) and waits for it, so that its bbolt stores are closed.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            _ = Dockerd.Signal(process.Id, 15);
            if (!process.WaitForExit(TimeSpan.FromSeconds(30))) process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}
