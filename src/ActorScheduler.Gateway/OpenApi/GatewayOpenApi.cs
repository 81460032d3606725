using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ActorScheduler.Gateway.OpenApi;

/// <summary>
/// Completes the generated document where reflection cannot see the wire format: CoreJson's own converters
/// (ISO 8601 durations, repeat periods) and the bearer scheme guarding <c>/api</c> when a token is set.
/// </summary>
internal static class GatewayOpenApi
{
    private const string BearerScheme = "bearer";

    public static void Configure(OpenApiOptions options, GatewaySettings settings)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ActorScheduler API";
            document.Info.Description = "Define, run and watch scheduled jobs. Errors are application/problem+json (RFC 9457).";
            if (settings.Token is { Length: > 0 })
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The token configured as actor-scheduler.gateway.token.",
                };
            }
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (settings.Token is { Length: > 0 } && context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var declared = context.JsonTypeInfo.Type;
            var type = Nullable.GetUnderlyingType(declared) ?? declared;
            var nullable = type != declared ? JsonSchemaType.Null : 0;
            if (type == typeof(TimeSpan))
                Describe(schema, JsonSchemaType.String | nullable, "ISO 8601 duration, e.g. PT30S, PT5M, P1D.", format: "duration");
            else if (type == typeof(DateTimeOffset))
                Describe(schema, JsonSchemaType.String | nullable, "ISO 8601 time with offset; answers are in UTC.", format: "date-time");
            else if (type == typeof(RepeatPeriod))
                Describe(schema, JsonSchemaType.Object,
                    "Units to add, any combination: years|y, months|M, weeks|w, days|d, hours|h, minutes|m, seconds|s, milliseconds|ms.",
                    additional: new OpenApiSchema { Type = JsonSchemaType.Integer });
            return Task.CompletedTask;
        });
    }

    private static void Describe(OpenApiSchema schema, JsonSchemaType type, string description, string? format = null, OpenApiSchema? additional = null)
    {
        schema.Type = type;
        schema.Format = format;
        schema.Pattern = null;
        schema.Description = description;
        schema.AdditionalProperties = additional;
        schema.Properties?.Clear();
    }
}
