using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Finds the chains that <see cref="SaveChain"/> wrote in a model loaded by ML.NET and replaces each with the
    /// <see cref="InitCnnTransformer"/> it came from (weights, options, initializers, history).
    /// </summary>
    internal static class ChainRestorer
    {
        public static ITransformer Restore(IHostEnvironment environment, ITransformer model)
        {
            ArgumentNullException.ThrowIfNull(model);
            if (IsSavedInitCnn(model, out var saved))
            {
                return RestoreOne(environment, saved);
            }
            if (model is not IEnumerable<ITransformer> chain)
            {
                return model;
            }
            var parts = chain.ToList();
            var restored = parts.Select(part => Restore(environment, part)).ToArray();
            return restored.SequenceEqual(parts) ? model : new TransformerChain<ITransformer>(restored);
        }

        /// <summary>A chain whose first transformer is InitCnn's tag mapping.</summary>
        private static bool IsSavedInitCnn(ITransformer model, out List<ITransformer> parts)
        {
            parts = model is IEnumerable<ITransformer> chain ? chain.ToList() : new List<ITransformer>();
            return parts.Count > 2 && parts[0] is CustomMappingTransformer<TagInput, TagOutput>;
        }

        private static InitCnnTransformer RestoreOne(IHostEnvironment environment, List<ITransformer> parts)
        {
            // Run the tag mapping and the blob lookup on one empty row to read the blob back.
            var mlContext = environment as MLContext ?? new MLContext();
            IDataView data = mlContext.Data.LoadFromEnumerable(new[] { new EmptyRow() });
            foreach (var part in parts.Take(2))
            {
                data = part.Transform(data);
            }
            var blobColumn = data.Schema.GetColumnOrNull(ModelFormat.ModelColumn)
                ?? throw new InvalidDataException("The saved InitCnn chain has no model blob column.");
            string blob;
            using (var cursor = data.GetRowCursor(new[] { blobColumn }))
            {
                var getter = cursor.GetGetter<ReadOnlyMemory<char>>(blobColumn);
                ReadOnlyMemory<char> value = default;
                if (!cursor.MoveNext())
                {
                    throw new InvalidDataException("The saved InitCnn chain yields no model blob.");
                }
                getter(ref value);
                blob = value.ToString();
            }
            var decoded = ModelBlob.Decode(blob);
            var m = decoded.Metadata;

            // The label's key values are those of PredictedLabel at the end of the saved chain.
            var definition = SchemaDefinition.Create(typeof(FeatureRow));
            definition[0].ColumnName = m.FeatureColumnName;
            definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, m.Channels * m.Height * m.Width);
            var input = mlContext.Data.LoadFromEnumerable(new List<FeatureRow>(), definition).Schema;
            var output = new TransformerChain<ITransformer>(parts.ToArray()).GetOutputSchema(input);
            var predicted = output.GetColumnOrNull(m.PredictedLabelColumnName);
            var annotations = predicted?.Annotations.Schema.GetColumnOrNull(Scoring.ScoringSchema.KeyValues) is null ? null : predicted!.Value.Annotations;
            return ModelSnapshot.Restore(environment, decoded, annotations);
        }

        private sealed class EmptyRow
        {
            public float Unused { get; set; }
        }

        private sealed class FeatureRow
        {
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
