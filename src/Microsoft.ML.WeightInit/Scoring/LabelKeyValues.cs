using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// The training label's key values (the class names, in key order) with their ML.NET item type, as text: what a
    /// saved model needs to give <c>PredictedLabel</c> the same key values (<c>MapKeyToValue</c> then returns the
    /// original labels).
    /// </summary>
    /// <param name="Type">The item type's name: Text, UInt32, Int32, Int64, UInt64, Single, Double or Boolean.</param>
    /// <param name="Values">The K values as invariant-culture text, in key order.</param>
    internal sealed record LabelKeyValues(string Type, string[] Values)
    {
        private static readonly Dictionary<string, PrimitiveDataViewType> Types = new()
        {
            ["Text"] = TextDataViewType.Instance,
            ["UInt32"] = NumberDataViewType.UInt32,
            ["Int32"] = NumberDataViewType.Int32,
            ["Int64"] = NumberDataViewType.Int64,
            ["UInt64"] = NumberDataViewType.UInt64,
            ["Single"] = NumberDataViewType.Single,
            ["Double"] = NumberDataViewType.Double,
            ["Boolean"] = BooleanDataViewType.Instance,
        };

        /// <summary>The values 0 … K − 1 as UInt32 (what <c>MapValueToKey</c> of a UInt32 label gives by value).</summary>
        public static LabelKeyValues Indices(int classes) =>
            new("UInt32", Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());

        /// <summary>The key values of <paramref name="annotations"/> when they are a vector of K values of a supported
        /// type; else null.</summary>
        public static LabelKeyValues? From(DataViewSchema.Annotations? annotations, int classes)
        {
            var column = annotations?.Schema.GetColumnOrNull(ScoringSchema.KeyValues);
            if (column is null || column.Value.Type is not VectorDataViewType vector || vector.Size != classes)
            {
                return null;
            }
            string? type = Types.FirstOrDefault(t => t.Value.RawType == vector.ItemType.RawType).Key;
            var texts = KeyValueTexts.Read(annotations!, column.Value);
            return type is null || texts is null ? null : new LabelKeyValues(type, texts);
        }

        /// <summary>Checks the stored form: a known type, K values, each parseable.</summary>
        /// <exception cref="InvalidDataException">What is wrong, for <paramref name="where"/>.</exception>
        public void Validate(int classes, string where)
        {
            if (Type is null || !Types.ContainsKey(Type))
            {
                throw new InvalidDataException($"{where}: label key value type '{Type}' is not one of {string.Join(", ", Types.Keys)}.");
            }
            if (Values is null || Values.Length != classes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: {Values?.Length ?? 0} label key values for {classes} classes."));
            }
            if (Values.Distinct().Count() != Values.Length)
            {
                throw new InvalidDataException($"{where}: the label key values are not distinct.");
            }
            try
            {
                _ = Visit(new AnnotationsVisitor());
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{where}: a label key value is not a {Type}: {e.Message}", e);
            }
        }

        /// <summary>The KeyValues annotation of a key column with these values.</summary>
        public DataViewSchema.Annotations ToAnnotations() => Visit(new AnnotationsVisitor());

        /// <summary>Calls <paramref name="visitor"/> with the values parsed to their item type.</summary>
        public TResult Visit<TResult>(IVisitor<TResult> visitor) => Type switch
        {
            "Text" => visitor.Visit(Values.Select(v => v.AsMemory()).ToArray(), TextDataViewType.Instance),
            "UInt32" => visitor.Visit(Values.Select(v => uint.Parse(v, CultureInfo.InvariantCulture)).ToArray(), NumberDataViewType.UInt32),
            "Int32" => visitor.Visit(Values.Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray(), NumberDataViewType.Int32),
            "Int64" => visitor.Visit(Values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray(), NumberDataViewType.Int64),
            "UInt64" => visitor.Visit(Values.Select(v => ulong.Parse(v, CultureInfo.InvariantCulture)).ToArray(), NumberDataViewType.UInt64),
            "Single" => visitor.Visit(Values.Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(), NumberDataViewType.Single),
            "Double" => visitor.Visit(Values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(), NumberDataViewType.Double),
            "Boolean" => visitor.Visit(Values.Select(v => v == "true" ? true : v == "false" ? false : throw new FormatException($"'{v}' is not true or false.")).ToArray(), BooleanDataViewType.Instance),
            _ => throw new InvalidDataException($"Label key value type '{Type}' is not supported."),
        };

        /// <summary>Receives the typed values.</summary>
        internal interface IVisitor<TResult>
        {
            TResult Visit<T>(T[] values, PrimitiveDataViewType itemType);
        }

        private sealed class AnnotationsVisitor : IVisitor<DataViewSchema.Annotations>
        {
            public DataViewSchema.Annotations Visit<T>(T[] values, PrimitiveDataViewType itemType)
            {
                var builder = new DataViewSchema.Annotations.Builder();
                builder.Add(ScoringSchema.KeyValues, new VectorDataViewType(itemType, values.Length),
                    (ref VBuffer<T> value) => value = new VBuffer<T>(values.Length, values));
                return builder.ToAnnotations();
            }
        }
    }
}
