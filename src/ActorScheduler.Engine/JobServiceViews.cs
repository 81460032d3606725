using System.Text.Json;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine;

/// <summary>A trigger between two jobs: <paramref name="Job"/> runs when the other one ends <paramref name="On"/>.</summary>
public sealed record JobLink(string Job, string On);

/// <summary>A page of a job's journal and the sequence number the next page starts at (null: no more).</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, long? Next);

/// <summary>One journaled event as the history endpoint shows it.</summary>
public sealed record HistoryEntry(long Seq, string Type, DateTimeOffset At, JsonElement? Data);

/// <summary>A page of the run history, newest first; <see cref="Next"/> is the cursor for the following page (null: the last).</summary>
public sealed record RunPage(IReadOnlyList<RunView> Items, string? Next);

/// <summary>A page of the job list, ordered by id; <see cref="Next"/> is the cursor for the following page.</summary>
public sealed record JobPage(IReadOnlyList<JobView> Items, string? Next);

/// <summary>Shards per node: a region's address, its shard count and the jobs in memory there.</summary>
public sealed record ShardingStats(IReadOnlyList<RegionStats> Regions);

public sealed record RegionStats(string Address, int Shards, int Jobs, IReadOnlyList<ShardStats> ShardList);

public sealed record ShardStats(string Id, int Jobs);

/// <summary>A cluster member: address, status (up, leaving, …), roles, whether this node reaches it, whether it is this node.</summary>
public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool Self);
