namespace Glassbox.Generators.CodeFixes
{
    /// <summary>The IDs and property names the fixes handle (kept in step with the analyzer's descriptor catalog by the tests).</summary>
    internal static class DiagnosticIds
    {
        public const string UnknownHookPoint = "GBX0001";
        public const string HandlerDoesNotFitKind = "GBX0003";
        public const string TypeNotPartial = "GBX0004";
        public const string SuggestionProperty = "Suggestion";
        public const string ExpectedTypeProperty = "ExpectedType";
    }
}
