using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// The chain of built-in ML.NET transformers that scores an InitCnn model and is what a model zip holds:
    /// <list type="number">
    /// <item>ONNX Runtime runs the graph (<c>ApplyOnnxModel</c>): Score and the class index (a 1-slot vector);</item>
    /// <item><c>Hash</c> with <c>combine</c> turns the 1-slot vector into a scalar (the only built-in way), and
    /// <c>ConvertType</c> into UInt32;</item>
    /// <item>a <c>MapValue</c> lookup (hash of index i → the label's i-th key value) gives the label value;</item>
    /// <item><c>MapValueToKey</c> with the label's key values in order makes it PredictedLabel;</item>
    /// <item>the temporary columns are dropped.</item>
    /// </list>
    /// A zip holding it loads with plain ML.NET plus Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime; this
    /// assembly is not needed. The hashes of 0 … K − 1 are computed with ML.NET's own Hash transform when the chain is
    /// built and checked to be distinct.
    /// </summary>
    internal static class ScoringChain
    {
        /// <summary>Number of parts of the fitted chain (a loaded zip's chain is recognized by it).</summary>
        public const int Parts = 6;

        private const int HashBits = 31;

        /// <param name="mlContext">The catalogs of the environment the transformers belong to (the user's context).</param>
        /// <param name="onnxModel">The graph built with <see cref="GraphNames.ForMLNet"/>.</param>
        /// <param name="columns">Feature, Score and PredictedLabel column names (the graph's input and output names).</param>
        /// <param name="labels">The K label key values.</param>
        /// <param name="featureCount">C·H·W.</param>
        public static TransformerChain<ITransformer> Fit(MLNetCatalogs mlContext, byte[] onnxModel, ColumnsRecord columns,
            LabelKeyValues labels, int featureCount)
        {
            var (seed, hashes) = IndexHashes(mlContext, labels.Values.Length);
            var onnx = mlContext.Transforms.ApplyOnnxModel(new[] { columns.Score, OnnxFormat.RowIndexOutput }, new[] { columns.Features },
                new MemoryStream(onnxModel, writable: false));
            var (value, key) = labels.Visit(new PredictedLabelVisitor(mlContext, columns.PredictedLabel, hashes));
            var chain = onnx.Append(Hash(mlContext, seed))
                .Append(mlContext.Transforms.Conversion.ConvertType(OnnxFormat.IndexHashValueColumn, OnnxFormat.IndexHashColumn, DataKind.UInt32))
                .Append(value).Append(key)
                .Append(mlContext.Transforms.DropColumns(OnnxFormat.RowIndexOutput, OnnxFormat.IndexHashColumn,
                    OnnxFormat.IndexHashValueColumn, OnnxFormat.PredictedValueColumn));
            return new TransformerChain<ITransformer>(chain.Fit(EmptyInput(mlContext, columns.Features, featureCount)).ToArray());
        }

        private static HashingEstimator Hash(MLNetCatalogs mlContext, uint seed) =>
            mlContext.Transforms.Conversion.Hash(new HashingEstimator.ColumnOptions(OnnxFormat.IndexHashColumn, OnnxFormat.RowIndexOutput,
                numberOfBits: HashBits, seed: seed, combine: true));

        /// <summary>ML.NET's hash of each class index 0 … K − 1 (as the graph outputs it), with a seed that makes them
        /// distinct.</summary>
        private static (uint Seed, uint[] Hashes) IndexHashes(MLNetCatalogs mlContext, int classes)
        {
            var definition = SchemaDefinition.Create(typeof(IndexRow));
            definition[0].ColumnName = OnnxFormat.RowIndexOutput;
            definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Int64, 1);
            var rows = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, classes).Select(i => new IndexRow { Index = new long[] { i } }), definition);
            for (uint seed = 314489979; seed < 314489979 + 16; seed++)
            {
                var hashed = Hash(mlContext, seed)
                    .Append(mlContext.Transforms.Conversion.ConvertType(OnnxFormat.IndexHashValueColumn, OnnxFormat.IndexHashColumn, DataKind.UInt32))
                    .Fit(rows).Transform(rows);
                var hashes = hashed.GetColumn<uint>(OnnxFormat.IndexHashValueColumn).ToArray();
                if (hashes.Distinct().Count() == classes && !hashes.Contains(0u))
                {
                    return (seed, hashes);
                }
            }
            throw new InvalidOperationException($"No hash seed gives {classes} distinct class-index hashes.");
        }

        private static IDataView EmptyInput(MLNetCatalogs mlContext, string featureColumn, int size)
        {
            var definition = SchemaDefinition.Create(typeof(FeatureRow));
            definition[0].ColumnName = featureColumn;
            definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
            return mlContext.Data.LoadFromEnumerable(new List<FeatureRow>(), definition);
        }

        /// <summary>hash of the index → label value (MapValue) → PredictedLabel key with the label's key values.</summary>
        private sealed class PredictedLabelVisitor : LabelKeyValues.IVisitor<(IEstimator<ITransformer> Value, IEstimator<ITransformer> Key)>
        {
            private readonly MLNetCatalogs _mlContext;
            private readonly string _column;
            private readonly uint[] _hashes;

            public PredictedLabelVisitor(MLNetCatalogs mlContext, string column, uint[] hashes)
            {
                _mlContext = mlContext;
                _column = column;
                _hashes = hashes;
            }

            public (IEstimator<ITransformer> Value, IEstimator<ITransformer> Key) Visit<T>(T[] values, PrimitiveDataViewType itemType)
            {
                var rows = values.Select((v, i) => new LookupRow<T> { Hash = _hashes[i], Value = v }).ToList();
                var definition = SchemaDefinition.Create(typeof(LookupRow<T>));
                definition[nameof(LookupRow<T>.Value)].ColumnType = itemType;
                var lookup = _mlContext.Data.LoadFromEnumerable(rows, definition);
                var keyData = _mlContext.Transforms.SelectColumns(nameof(LookupRow<T>.Value)).Fit(lookup).Transform(lookup);
                var conversion = _mlContext.Transforms.Conversion;
                return (conversion.MapValue(OnnxFormat.PredictedValueColumn, lookup, lookup.Schema[nameof(LookupRow<T>.Hash)],
                        lookup.Schema[nameof(LookupRow<T>.Value)], OnnxFormat.IndexHashValueColumn),
                    conversion.MapValueToKey(_column, OnnxFormat.PredictedValueColumn, keyData: keyData));
            }
        }

        private sealed class LookupRow<T>
        {
            public uint Hash { get; set; }

            public T Value { get; set; } = default!;
        }

        private sealed class IndexRow
        {
            public long[] Index { get; set; } = Array.Empty<long>();
        }

        private sealed class FeatureRow
        {
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
