using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Glassbox.Cli;

/// <summary>Option and argument builders with the checks and messages every command shares.</summary>
internal static class CliOptions
{
    /// <summary>An integer option with a default and a lower bound, checked while parsing (so a bad value is a usage error).</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int min = int.MinValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min)
                return value;
            result.AddError(min == int.MinValue
                ? $"{name} must be an integer (got '{text}')"
                : $"{name} must be an integer of at least {min} (got '{text}')");
            return defaultValue;
        },
    };

    /// <summary>An optional integer option (null when absent) with a lower bound, checked while parsing.</summary>
    public static Option<int?> OptionalInteger(string name, string description, int min = int.MinValue) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            string text = result.Tokens[^1].Value;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min)
                return value;
            result.AddError(min == int.MinValue
                ? $"{name} must be an integer (got '{text}')"
                : $"{name} must be an integer of at least {min} (got '{text}')");
            return null;
        },
    };

    /// <summary>A number option with a default; <paramref name="valid"/> is checked while parsing, <paramref name="requirement"/> says what it wants.</summary>
    public static Option<float> Number(string name, string description, float defaultValue, Func<float, bool> valid, string requirement) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseNumber(result, name, valid, requirement) ?? defaultValue,
    };

    /// <summary>An optional number option (null when absent); <paramref name="valid"/> is checked while parsing.</summary>
    public static Option<float?> OptionalNumber(string name, string description, Func<float, bool> valid, string requirement) => new(name)
    {
        Description = description,
        CustomParser = result => result.Tokens.Count == 0 ? null : ParseNumber(result, name, valid, requirement),
    };

    static float? ParseNumber(ArgumentResult result, string name, Func<float, bool> valid, string requirement)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value) && valid(value))
            return value;
        result.AddError($"{name} must be {requirement} (got '{text}')");
        return null;
    }

    /// <summary>
    /// The model argument: a folder or file path. A token that looks like an option is refused:
    /// without this check an unknown option such as <c>--bogus</c> would be taken for a path.
    /// </summary>
    public static Argument<string?> ModelPath(string name, string description, bool optional)
    {
        var argument = new Argument<string?>(name)
        {
            Description = description,
            Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        };
        argument.Validators.Add(RefuseOptionLikeTokens);
        return argument;
    }

    static void RefuseOptionLikeTokens(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
            if (token.Value.StartsWith('-') && token.Value.Length > 1)
                result.AddError($"unknown option '{token.Value}'");
    }
}
