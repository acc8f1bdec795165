namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Names and numbers of the InitCnn model format inside an ML.NET model zip. Everything here is written into
    /// saved files: change nothing, add new names and a new <see cref="Version"/> instead.
    /// </summary>
    internal static class ModelFormat
    {
        /// <summary>Format version written by this library; files of this and every earlier version load.</summary>
        public const int Version = 1;

        /// <summary>Identifies the model blob's metadata.</summary>
        public const string Name = "Microsoft.ML.WeightInit/InitCnn";

        /// <summary>First bytes of the model blob.</summary>
        public static readonly byte[] Magic = "MLWICNN\0"u8.ToArray();

        /// <summary>Contract of the custom mapping that starts a saved InitCnn chain (it yields <see cref="TagColumn"/>).</summary>
        public const string TagContract = "Microsoft.ML.WeightInit.InitCnn.Tag";

        /// <summary>Contract of the scoring custom mapping for K classes is this prefix followed by K.</summary>
        public const string ScoreContractPrefix = "Microsoft.ML.WeightInit.InitCnn.Score.K";

        /// <summary>Value of <see cref="TagColumn"/>: the key of the blob lookup.</summary>
        public const string TagValue = "InitCnn";

        /// <summary>Temporary column: <see cref="TagValue"/> on every row.</summary>
        public const string TagColumn = "__InitCnn.Tag";

        /// <summary>Temporary column: the model blob (base64 text) on every row, from a MapValue lookup.</summary>
        public const string ModelColumn = "__InitCnn.Model";

        /// <summary>Temporary column: a copy of the feature column.</summary>
        public const string FeaturesColumn = "__InitCnn.Features";

        /// <summary>Temporary column: the K class probabilities.</summary>
        public const string ScoreColumn = "__InitCnn.Score";

        /// <summary>Temporary column: the 0-based index of the most probable class (UInt32).</summary>
        public const string ClassColumn = "__InitCnn.Class";

        /// <summary>Temporary column: the most probable class as a key of K values without key values.</summary>
        public const string KeyColumn = "__InitCnn.Key";

        /// <summary>Temporary column: the label value of the most probable class.</summary>
        public const string PredictedValueColumn = "__InitCnn.PredictedValue";

        /// <summary>Every temporary column, dropped at the end of a saved chain.</summary>
        public static readonly string[] TemporaryColumns =
        {
            TagColumn, ModelColumn, FeaturesColumn, ScoreColumn, ClassColumn, KeyColumn, PredictedValueColumn,
        };

        /// <summary>Smallest class count an ML.NET model zip can hold.</summary>
        public const int MinClasses = 2;

        /// <summary>Largest class count an ML.NET model zip can hold (one compiled output type per count).</summary>
        public const int MaxClasses = 10;
    }
}
