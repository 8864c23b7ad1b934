using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Report;

/// <summary>
/// <see cref="ReportJson.Write"/> streams: a large report reaches the stream in pieces while it is written, never held
/// whole (the 100,000-layer report is 52 MB), and the pieces join to exactly <see cref="ReportJson.Render"/>'s bytes.
/// </summary>
public class ReportJsonTests
{
    /// <summary>Keeps what it is given and records the size of every write.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream bytes = new();

        public List<int> Writes { get; } = [];

        public byte[] ToArray() => bytes.ToArray();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add(buffer.Length);
            bytes.Write(buffer);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => bytes.Length;
        public override long Position { get => bytes.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void A_large_report_reaches_the_stream_in_pieces_of_about_64_KB_that_join_to_the_rendered_bytes()
    {
        var model = RootGenerator.Generate(5, new GeneratorOptions(Layers: 1500, Mounts: 40, Images: 10));
        var report = Checker.CheckGenerated(new CheckOptions("/model", MobyVersion.Default, None), model)
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        using var stream = new RecordingStream();
        ReportJson.Write(report, stream);

        var rendered = System.Text.Encoding.UTF8.GetBytes(ReportJson.Render(report));
        Assert.True(rendered.Length > 4 * 64 * 1024, $"the report is {rendered.Length} bytes");
        Assert.Equal(rendered, stream.ToArray());
        // Every piece but the last ends one element past the 64 KB mark: no piece holds the report.
        Assert.True(stream.Writes.Count >= rendered.Length / (80 * 1024), $"{stream.Writes.Count} writes");
        Assert.All(stream.Writes, n => Assert.True(n < 80 * 1024, $"a write of {n} bytes"));
    }
}
