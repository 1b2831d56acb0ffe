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

    /// <summary>
    /// A model folder argument. A token that looks like an option is refused: without this check an
    /// unknown option such as <c>--bogus</c> would be taken for a folder name.
    /// </summary>
    public static Argument<string?> ModelFolder(string description, bool optional)
    {
        var argument = new Argument<string?>("model-dir")
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
