using System.Text.Json.Nodes;

namespace ActorScheduler.Core.Tests.Definitions;

/// <summary>The full JobDefinition example of the HTTP contract (docs/API.md), verbatim.</summary>
internal static class ApiExample
{
    public const string Json = """
        {
          "id": "nightly-billing",
          "schedule": { "cron": "0 30 2 * * *", "timeZone": "Europe/Amsterdam" },
          "window": { "start": "2026-12-01T00:00:00Z", "stop": "2027-12-01T00:00:00Z" },
          "maxRuns": 100,
          "run": { "shell": { "command": ["bash", "-c", "echo hi"], "env": { "A": "1" }, "workingDirectory": null } },
          "worker": "vip-worker",
          "notWorker": null,
          "strictWorker": false,
          "retry": { "maxAttempts": 3, "delay": "PT1S", "multiplier": 2.0, "maxDelay": "PT1M" },
          "timeout": "PT5M",
          "overlap": "skip",
          "misfire": { "policy": "fireOnce", "catchUpWindow": "P1D" },
          "triggers": [ { "job": "extract", "on": "succeeded" }, { "event": "foo-event" } ],
          "enabled": true,
          "tags": ["billing"],
          "data": { "customer": 1234 }
        }
        """;

    /// <summary>
    /// The example with <paramref name="overrides"/> merged in at the top level; a null value removes the
    /// property (so <c>{"run":null}</c> leaves run out).
    /// </summary>
    public static string With(string overrides)
    {
        var definition = JsonNode.Parse(Json)!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(overrides)!.AsObject())
        {
            if (value is null)
                definition.Remove(name);
            else
                definition[name] = value.DeepClone();
        }
        return definition.ToJsonString();
    }
}
