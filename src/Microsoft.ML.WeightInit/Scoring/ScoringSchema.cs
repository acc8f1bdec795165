namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>Names of ML.NET's annotations on the Score and PredictedLabel columns.</summary>
    internal static class ScoringSchema
    {
        public const string ScoreColumnKind = "ScoreColumnKind";
        public const string ScoreValueKind = "ScoreValueKind";
        public const string SlotNames = "SlotNames";
        public const string KeyValues = "KeyValues";
    }
}
