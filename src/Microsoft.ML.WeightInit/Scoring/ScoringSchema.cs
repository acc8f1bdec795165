using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// The output schema of a trained InitCnn model: the input columns, then <c>Score</c> (a vector of K Single
    /// probabilities with ML.NET's score annotations) and <c>PredictedLabel</c> (a key of K values carrying the
    /// training label's key values, so <c>MapKeyToValue</c> gives back the original labels).
    /// </summary>
    internal sealed class ScoringSchema
    {
        public const string ScoreColumnKind = "ScoreColumnKind";
        public const string ScoreValueKind = "ScoreValueKind";
        public const string SlotNames = "SlotNames";
        public const string KeyValues = "KeyValues";

        private ScoringSchema(DataViewSchema input, DataViewSchema output, int scoreIndex, int predictedLabelIndex)
        {
            Input = input;
            Output = output;
            ScoreIndex = scoreIndex;
            PredictedLabelIndex = predictedLabelIndex;
        }

        public DataViewSchema Input { get; }

        public DataViewSchema Output { get; }

        /// <summary>Index of the Score column in <see cref="Output"/>.</summary>
        public int ScoreIndex { get; }

        /// <summary>Index of the PredictedLabel column in <see cref="Output"/>.</summary>
        public int PredictedLabelIndex { get; }

        public static ScoringSchema Create(DataViewSchema input, string scoreColumn, string predictedLabelColumn,
            int classes, DataViewSchema.Annotations? labelAnnotations)
        {
            var builder = new DataViewSchema.Builder();
            builder.AddColumns(input);
            builder.AddColumn(scoreColumn, new VectorDataViewType(NumberDataViewType.Single, classes), ScoreAnnotations(classes, labelAnnotations));
            builder.AddColumn(predictedLabelColumn, new KeyDataViewType(typeof(uint), classes), KeyAnnotations(labelAnnotations));
            var output = builder.ToSchema();
            return new ScoringSchema(input, output, input.Count, input.Count + 1);
        }

        private static DataViewSchema.Annotations ScoreAnnotations(int classes, DataViewSchema.Annotations? labelAnnotations)
        {
            var annotations = new DataViewSchema.Annotations.Builder();
            var names = SlotNamesOf(classes, labelAnnotations);
            annotations.Add(SlotNames, new VectorDataViewType(TextDataViewType.Instance, classes),
                (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
            annotations.Add(ScoreColumnKind, TextDataViewType.Instance,
                (ref ReadOnlyMemory<char> value) => value = "MulticlassClassification".AsMemory());
            annotations.Add(ScoreValueKind, TextDataViewType.Instance,
                (ref ReadOnlyMemory<char> value) => value = "Score".AsMemory());
            return annotations.ToAnnotations();
        }

        private static DataViewSchema.Annotations KeyAnnotations(DataViewSchema.Annotations? labelAnnotations)
        {
            var annotations = new DataViewSchema.Annotations.Builder();
            if (labelAnnotations is not null)
            {
                annotations.Add(labelAnnotations, name => name == KeyValues);
            }
            return annotations.ToAnnotations();
        }

        /// <summary>Slot names: the label's key values as text, or "0".."K−1" when it has none.</summary>
        private static ReadOnlyMemory<char>[] SlotNamesOf(int classes, DataViewSchema.Annotations? labelAnnotations)
        {
            var names = new ReadOnlyMemory<char>[classes];
            var keyValues = labelAnnotations?.Schema.GetColumnOrNull(KeyValues);
            string[]? texts = keyValues is null ? null : KeyValueTexts.Read(labelAnnotations!, keyValues.Value);
            for (int i = 0; i < classes; i++)
            {
                names[i] = (texts is not null && i < texts.Length ? texts[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsMemory();
            }
            return names;
        }
    }
}
