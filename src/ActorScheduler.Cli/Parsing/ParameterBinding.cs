using System.CommandLine;
using System.CommandLine.Parsing;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Parsing;

/// <summary>One advertised parameter as a System.CommandLine symbol, and how its value is read back for the request.</summary>
internal sealed class ParameterBinding
{
    private ParameterBinding(ParameterSpec spec, Symbol symbol)
    {
        Spec = spec;
        Symbol = symbol;
    }

    public ParameterSpec Spec { get; }

    public Symbol Symbol { get; }

    public static ParameterBinding Create(ParameterSpec spec) => new(spec, spec.Kind switch
    {
        ParameterKind.Argument => CreateArgument(spec),
        ParameterKind.Flag => CreateFlag(spec),
        _ => CreateOption(spec),
    });

    /// <summary>The value to send, or null when the parameter was left out (the host applies its default).</summary>
    public string? ValueIn(ParseResult result) => Symbol switch
    {
        Option<bool> flag => result.GetValue(flag) ? "true" : null,
        Option<string> option => result.GetValue(option),
        Argument<string> argument => result.GetValue(argument),
        _ => null,
    };

    private static Argument<string> CreateArgument(ParameterSpec spec)
    {
        var argument = new Argument<string>(spec.Name)
        {
            Description = spec.Description,
            Arity = spec.Required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne,
        };
        if (spec.Choices is { Count: > 0 } choices)
            argument.AcceptOnlyFromAmong([.. choices]);
        argument.Validators.Add(result => Check(spec, result));
        return argument;
    }

    private static Option<string> CreateOption(ParameterSpec spec)
    {
        var option = new Option<string>(ParameterNames.Long(spec), Aliases(spec))
        {
            Description = spec.Description,
            Required = spec.Required,
        };
        if (spec.Choices is { Count: > 0 } choices)
            option.AcceptOnlyFromAmong([.. choices]);
        option.Validators.Add(result => Check(spec, result));
        return option;
    }

    private static Option<bool> CreateFlag(ParameterSpec spec) => new(ParameterNames.Long(spec), Aliases(spec))
    {
        Description = spec.Description,
        Arity = ArgumentArity.Zero,
    };

    private static string[] Aliases(ParameterSpec spec) => ParameterNames.Alias(spec) is { } alias ? [alias] : [];

    /// <summary>Checks the typed token, not the converted value: converting a value outside the choices throws.</summary>
    private static void Check(ParameterSpec spec, SymbolResult result)
    {
        foreach (var token in result.Tokens)
            if (ValueChecks.Problem(spec.Type, token.Value, ParameterNames.Shown(spec)) is { } problem)
                result.AddError(problem);
    }
}
