// One node and one Chromium at a time: a 2-core CI machine also builds and runs the other suites meanwhile.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
