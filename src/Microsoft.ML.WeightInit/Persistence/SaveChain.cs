using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Scoring;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// What an <see cref="InitCnnTransformer"/> saves into an ML.NET model zip. ML.NET's save context has no
    /// public member, so the transformer saves an equivalent chain of public ML.NET transformers instead:
    /// <list type="number">
    /// <item>a custom mapping (contract <see cref="ModelFormat.TagContract"/>) yielding a constant tag;</item>
    /// <item><c>MapValue</c> from the tag to the model blob (base64 of <see cref="ModelBlob"/>: metadata + weights);</item>
    /// <item><c>CopyColumns</c> of the feature column;</item>
    /// <item>a custom mapping (contract <see cref="ModelFormat.ScoreContractPrefix"/>K) computing Score, the best
    /// class and its key with the decoded network;</item>
    /// <item>PredictedLabel: <c>MapValue</c> class → label value then <c>MapValueToKey</c> with the label's key values
    /// as key data (so the key values survive), or a copy of the key when the label has none;</item>
    /// <item><c>CopyColumns</c> to the Score column, and <c>DropColumns</c> of every temporary column.</item>
    /// </list>
    /// ML.NET loads it with no help (it loads this assembly by name for the custom mappings); InitCnn's own loader
    /// turns it back into an <see cref="InitCnnTransformer"/>.
    /// </summary>
    internal static class SaveChain
    {
        /// <exception cref="NotSupportedException">The model has a class count the zip cannot hold.</exception>
        public static ITransformer Build(MLContext mlContext, InitCnnTransformer transformer)
        {
            var model = transformer.Model;
            int classes = model.ImageShape.Classes;
            var scoreStep = ScoreMappings.For(classes) ?? throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"An InitCnn model with {classes} classes cannot be saved to an ML.NET model zip: the zip's scoring step has one compiled output type per class count, for {ModelFormat.MinClasses} to {ModelFormat.MaxClasses} classes. Export the weights with ExportStateDict instead."));
            string blob = ModelSnapshot.Encode(transformer);

            var conversion = mlContext.Transforms.Conversion;
            var chain = mlContext.Transforms.CustomMapping(TagMappingFactory.Mapping, ModelFormat.TagContract)
                .Append(conversion.MapValue(ModelFormat.ModelColumn, Lookup(mlContext, new[] { ModelFormat.TagValue.AsMemory() }, new[] { blob.AsMemory() }, out var key, out var value), key, value, ModelFormat.TagColumn))
                .Append(mlContext.Transforms.CopyColumns(ModelFormat.FeaturesColumn, transformer.FeatureColumnName))
                .Append(scoreStep.CreateEstimator(mlContext))
                .Append(PredictedLabel(mlContext, transformer.PredictedLabelColumnName, classes, model.LabelAnnotations))
                .Append(mlContext.Transforms.CopyColumns(transformer.ScoreColumnName, ModelFormat.ScoreColumn))
                .Append(mlContext.Transforms.DropColumns(ModelFormat.TemporaryColumns));
            return chain.Fit(EmptyInput(mlContext, transformer.FeatureColumnName, model.ImageShape.FeatureCount));
        }

        private static IEstimator<ITransformer> PredictedLabel(MLContext mlContext, string column, int classes, DataViewSchema.Annotations? labelAnnotations)
        {
            var keyValues = labelAnnotations?.Schema.GetColumnOrNull(ScoringSchema.KeyValues);
            if (keyValues is null || keyValues.Value.Type is not VectorDataViewType type || type.Size != classes)
            {
                return mlContext.Transforms.CopyColumns(column, ModelFormat.KeyColumn);
            }
            var method = typeof(SaveChain).GetMethod(nameof(PredictedLabelFromValues), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type.ItemType.RawType);
            return (IEstimator<ITransformer>)method.Invoke(null, new object[] { mlContext, column, labelAnnotations!, keyValues.Value })!;
        }

        private static IEstimator<ITransformer> PredictedLabelFromValues<T>(MLContext mlContext, string column,
            DataViewSchema.Annotations annotations, DataViewSchema.Column keyValues)
        {
            var buffer = default(VBuffer<T>);
            annotations.GetValue(keyValues.Name, ref buffer);
            var values = buffer.DenseValues().ToArray();
            var classes = Enumerable.Range(0, values.Length).Select(i => (uint)i).ToArray();
            var lookup = Lookup(mlContext, classes, values, out var key, out var value);
            var keyData = mlContext.Transforms.SelectColumns(value.Name).Fit(lookup).Transform(lookup);
            return mlContext.Transforms.Conversion.MapValue(ModelFormat.PredictedValueColumn, lookup, key, value, ModelFormat.ClassColumn)
                .Append(mlContext.Transforms.Conversion.MapValueToKey(column, ModelFormat.PredictedValueColumn, keyData: keyData));
        }

        private static IDataView Lookup<TKey, TValue>(MLContext mlContext, TKey[] keys, TValue[] values,
            out DataViewSchema.Column keyColumn, out DataViewSchema.Column valueColumn)
        {
            var rows = keys.Zip(values, (k, v) => new LookupRow<TKey, TValue> { Key = k, Value = v }).ToList();
            var view = mlContext.Data.LoadFromEnumerable(rows);
            keyColumn = view.Schema[nameof(LookupRow<TKey, TValue>.Key)];
            valueColumn = view.Schema[nameof(LookupRow<TKey, TValue>.Value)];
            return view;
        }

        private static IDataView EmptyInput(MLContext mlContext, string featureColumn, int size)
        {
            var definition = SchemaDefinition.Create(typeof(FeatureRow));
            definition[0].ColumnName = featureColumn;
            definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
            return mlContext.Data.LoadFromEnumerable(new List<FeatureRow>(), definition);
        }

        private sealed class LookupRow<TKey, TValue>
        {
            public TKey Key { get; set; } = default!;

            public TValue Value { get; set; } = default!;
        }

        private sealed class FeatureRow
        {
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
