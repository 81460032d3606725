// Each spec class starts whole engine nodes with their own sockets and databases; one class at a time keeps a
// small (2-core) machine from starving their timers and heartbeats.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
