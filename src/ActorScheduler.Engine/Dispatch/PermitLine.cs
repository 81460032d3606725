using ActorScheduler.Engine.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// A dispatcher's line to the permit keeper (used from inside the dispatcher, which is the sender of what goes out):
/// the permit actions of <see cref="Placements"/> as messages, and whether the keeper that answers is one it has not
/// told yet what it holds and awaits.
/// </summary>
/// <param name="node">This node's cluster address, as the keeper knows the scheduler nodes.</param>
public sealed class PermitLine(IActorRef keeper, string node)
{
    private Guid? _told;

    /// <summary>Sends a permit action to the keeper; false for any other action.</summary>
    public bool Carry(DispatchAction action)
    {
        object? message = action switch
        {
            AskPermit ask => new AcquirePermit(ask.Run.Concurrency!.Key!, ask.Run.Concurrency.Limit, ask.Run.RunId),
            ClaimPermit claim => new ReclaimPermit(claim.Key, claim.RunId),
            ReturnPermit release => new ReleasePermit(release.RunId, release.Why),
            ClaimsTold => new PermitClaimsTold(node),
            _ => null,
        };
        if (message is not null)
            keeper.Tell(message);
        return message is not null;
    }

    public void AskWhoAnswers() => keeper.Tell(GetPermitKeeper.Instance);

    /// <summary>Whether <paramref name="incarnation"/> is the keeper this dispatcher last told its permits.</summary>
    public bool IsCurrent(Guid incarnation) => incarnation == _told;

    /// <summary>
    /// The keeper answering now; true when this dispatcher has not told it its permits yet (a keeper heard of for the
    /// first time may be new, its book empty).
    /// </summary>
    public bool IsNew(PermitKeeperIs keeper)
    {
        var isNew = keeper.Incarnation != _told;
        _told = keeper.Incarnation;
        return isNew;
    }
}
