using System.Text;
using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Tests;

/// <summary>The bounded tail that every runner's output goes through.</summary>
public sealed class OutputTailSpecs
{
    [Fact]
    public void Should_keep_everything_without_a_marker_when_under_the_limit()
    {
        var tail = new OutputTail(8);
        tail.Append("abc");
        tail.Append("defgh");

        Assert.Equal("abcdefgh", tail.ToString());
    }

    [Theory]
    [InlineData("abcdef|ghij")]
    [InlineData("abcdefghij")]
    [InlineData("a|b|c|d|e|f|g|h|i|j")]
    [InlineData("abc|defghijkl||j")]
    public void Should_keep_the_last_bytes_and_count_the_rest_when_over_the_limit(string appends)
    {
        var pieces = appends.Split('|');
        var tail = new OutputTail(4);
        foreach (var piece in pieces) tail.Append(piece);

        var written = string.Concat(pieces);
        Assert.Equal($"[… {written.Length - 4} bytes omitted]\n{written[^4..]}", tail.ToString());
    }

    [Fact]
    public void Should_count_a_character_cut_by_the_limit_as_omitted_when_it_is_multi_byte()
    {
        var tail = new OutputTail(4);
        tail.Append("xé€"); // 1 + 2 + 3 bytes: the limit cuts into 'é'

        Assert.Equal("[… 3 bytes omitted]\n€", tail.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount("xé€"), tail.TotalBytes);
    }
}
