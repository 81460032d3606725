using System.Text;

namespace ActorScheduler.Runners.Output;

/// <summary>
/// What a process run keeps of its output: each line goes into the bounded <see cref="OutputTail"/> and, at the same
/// moment, to <see cref="IRunObserver.Output"/>, so a reader can follow the run while it goes on. stdout and stderr
/// keep lines concurrently; the observer hears one call at a time (protocol messages included), in the order the
/// tail keeps the lines.
/// </summary>
internal sealed class KeptOutput(OutputTail tail, IRunObserver observer)
{
    private readonly Lock gate = new();
    private bool outputRefused;

    /// <summary>A sink for one stream: its own decoder joins a character that a cut of a long line split in two.</summary>
    public LineSink NewStream()
    {
        var decoder = Encoding.UTF8.GetDecoder();
        return (line, _) => Keep(line, decoder);
    }

    /// <summary>A line of the stream <paramref name="decoder"/> belongs to (that stream's pump is its only caller).</summary>
    public void Keep(ReadOnlySpan<byte> line, Decoder decoder)
    {
        var chars = new char[decoder.GetCharCount(line, flush: false)];
        var text = new string(chars, 0, decoder.GetChars(line, chars, flush: false));
        lock (gate)
        {
            tail.Append(line);
            Report(text);
        }
    }

    /// <summary>A line the runner adds itself (why the output stops, an observer's failure).</summary>
    public void Note(string text)
    {
        lock (gate)
        {
            tail.Append(text);
            Report(text);
        }
    }

    /// <summary>Calls the observer with a protocol message; its failure is kept where a user sees it.</summary>
    public void Observe(Action<IRunObserver> call, object what)
    {
        lock (gate)
        {
            try
            {
                call(observer);
            }
            catch (Exception e)
            {
                // The stderr pipe must keep draining or the process blocks.
                var note = $"[run observer failed on {what}: {e.Message}]\n";
                tail.Append(note);
                Report(note);
            }
        }
    }

    private void Report(string text)
    {
        if (outputRefused || text.Length == 0) return;
        try
        {
            observer.Output(text);
        }
        catch (Exception e)
        {
            // Once is enough: a note per line would flood the tail that still records the run.
            outputRefused = true;
            tail.Append($"[run observer failed on output: {e.Message}; the rest is not reported while the run goes on]\n");
        }
    }
}
