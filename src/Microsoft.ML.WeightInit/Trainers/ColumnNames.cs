namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>ML.NET's conventional column names (its own <c>DefaultColumnNames</c> is internal).</summary>
    internal static class ColumnNames
    {
        /// <summary><c>Label</c>.</summary>
        public const string Label = "Label";

        /// <summary><c>Features</c>.</summary>
        public const string Features = "Features";

        /// <summary><c>Score</c>.</summary>
        public const string Score = "Score";

        /// <summary><c>PredictedLabel</c>.</summary>
        public const string PredictedLabel = "PredictedLabel";
    }
}
