namespace ActorScheduler.Dashboard.Tests;

/// <summary>
/// Spec classes marked <c>[Collection(DashboardCollection.Name)]</c> share one node without a token and one
/// Chromium; each takes <see cref="DashboardNode"/> and <see cref="HeadlessChromium"/> in its constructor.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardNode>, ICollectionFixture<HeadlessChromium>
{
    public const string Name = "Dashboard";
}

/// <summary>Likewise with a node that requires its API token: constructors take <see cref="TokenProtectedNode"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TokenProtectedCollection : ICollectionFixture<TokenProtectedNode>, ICollectionFixture<HeadlessChromium>
{
    public const string Name = "Dashboard with an API token";
}
