using System;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>Input of the tag mapping: no column.</summary>
    internal sealed class TagInput
    {
    }

    /// <summary>Output of the tag mapping: the key under which the MapValue lookup holds the model blob.</summary>
    internal sealed class TagOutput
    {
        [ColumnName(ModelFormat.TagColumn)]
        public ReadOnlyMemory<char> Tag;
    }

    /// <summary>
    /// First step of a saved InitCnn chain: a constant column that a MapValue lookup turns into the model blob.
    /// ML.NET creates it by contract name when loading a model zip.
    /// </summary>
    [CustomMappingFactoryAttribute(ModelFormat.TagContract)]
    internal sealed class TagMappingFactory : CustomMappingFactory<TagInput, TagOutput>
    {
        private static readonly ReadOnlyMemory<char> Value = ModelFormat.TagValue.AsMemory();

        public static Action<TagInput, TagOutput> Mapping { get; } = (_, output) => output.Tag = Value;

        public override Action<TagInput, TagOutput> GetMapping() => Mapping;
    }
}
