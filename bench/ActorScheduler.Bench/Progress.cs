namespace ActorScheduler.Bench;

/// <summary>Progress lines on stderr, so that stdout carries nothing but the result table.</summary>
public static class Progress
{
    public static void Say(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
