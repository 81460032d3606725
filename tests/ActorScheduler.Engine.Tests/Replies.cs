using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>Reads a job's answer as the kind a spec expects, failing with the answer it got instead.</summary>
internal static class Replies
{
    public static T Expect<T>(this JobReply reply) where T : JobReply =>
        reply as T ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name}, but the job answered {reply}");
}
