using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Policies;

public sealed class OverlapDecisionSpecs
{
    [Theory]
    // nothing in flight: every policy starts the run, whatever the buffer says
    [InlineData(OverlapPolicy.Skip, 0, false, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.Skip, 0, true, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.BufferOne, 0, false, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.BufferOne, 0, true, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.Allow, 0, false, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.Allow, 0, true, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.Replace, 0, false, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.Replace, 0, true, OverlapAction.Start, null)]
    // runs in flight
    [InlineData(OverlapPolicy.Skip, 1, false, OverlapAction.Skip, OverlapDecision.SkippedWhileRunning)]
    [InlineData(OverlapPolicy.Skip, 1, true, OverlapAction.Skip, OverlapDecision.SkippedWhileRunning)]
    [InlineData(OverlapPolicy.BufferOne, 1, false, OverlapAction.Buffer, null)]
    [InlineData(OverlapPolicy.BufferOne, 1, true, OverlapAction.Skip, OverlapDecision.SkippedBufferFull)]
    [InlineData(OverlapPolicy.Allow, 1, false, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.Allow, 3, true, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.Replace, 1, false, OverlapAction.ReplaceRunning, null)]
    [InlineData(OverlapPolicy.Replace, 2, true, OverlapAction.ReplaceRunning, null)]
    [InlineData(OverlapPolicy.TerminateOther, 1, false, OverlapAction.ReplaceRunning, null)]
    [InlineData(OverlapPolicy.TerminateOther, 0, false, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.CancelOther, 1, false, OverlapAction.CancelThenStart, null)]
    [InlineData(OverlapPolicy.CancelOther, 1, true, OverlapAction.CancelThenStart, null)]
    [InlineData(OverlapPolicy.CancelOther, 0, true, OverlapAction.Start, null)]
    [InlineData(OverlapPolicy.BufferAll, 1, true, OverlapAction.Buffer, null)]
    [InlineData(OverlapPolicy.BufferAll, 0, true, OverlapAction.Start, null)]
    public void Should_choose_the_pinned_action_when_an_occurrence_comes_due(
        OverlapPolicy policy, int runsInFlight, bool bufferTaken, OverlapAction expectedAction, string? expectedReason)
    {
        var (action, reason) = OverlapDecision.Decide(policy, runsInFlight, bufferTaken ? 1 : 0, waitingLimit: 3);

        Assert.Equal(expectedAction, action);
        Assert.Equal(expectedReason, reason);
    }

    [Fact]
    public void Should_give_a_reason_exactly_when_the_occurrence_is_skipped()
    {
        foreach (var policy in Enum.GetValues<OverlapPolicy>())
        foreach (var inFlight in new[] { 0, 1, 5 })
        foreach (var waiting in new[] { 0, 1, 3 })
        {
            var (action, reason) = OverlapDecision.Decide(policy, inFlight, waiting, waitingLimit: 3);
            Assert.True((action == OverlapAction.Skip) == (reason is not null), $"{policy}, {inFlight} in flight, {waiting} waiting: {action} / {reason}");
        }
    }

    [Fact]
    public void Should_skip_with_the_cap_in_the_reason_when_bufferAll_already_holds_its_limit()
    {
        Assert.Equal((OverlapAction.Buffer, null), OverlapDecision.Decide(OverlapPolicy.BufferAll, 1, 2, waitingLimit: 3));

        var (action, reason) = OverlapDecision.Decide(OverlapPolicy.BufferAll, 1, 3, waitingLimit: 3);

        Assert.Equal(OverlapAction.Skip, action);
        Assert.Contains("3 runs already waiting", reason);
    }
}
