// The specs start real bash processes and read /proc, as the integration tier does: they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
