using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Sweeps;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>
    /// SHA-256 of the rows a sweep trains and scores on (labels as keys, features as float bits, training rows then
    /// validation rows): equal for the same images whether the files are raw IDX or gzipped, different for any changed
    /// pixel, label or row count.
    /// </summary>
    internal static class DataChecksum
    {
        /// <summary>The checksum of the two views (hex, lowercase).</summary>
        public static string Compute(IDataView train, IDataView validation, TrialRunnerSettings settings)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Append(sha, train, settings);
            Append(sha, validation, settings);
            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }

        /// <summary>Loads a location's data and computes its checksum.</summary>
        public static string Compute(SweepDataLocation location, TrialRunnerSettings settings)
        {
            var (train, validation) = location.Load(new MLContext(seed: 0));
            return Compute(train, validation, settings);
        }

        private static void Append(IncrementalHash sha, IDataView view, TrialRunnerSettings settings)
        {
            var label = view.Schema[settings.LabelColumnName];
            var features = view.Schema[settings.FeatureColumnName];
            using var cursor = view.GetRowCursor(new[] { label, features });
            var getLabel = cursor.GetGetter<uint>(label);
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            uint key = 0;
            VBuffer<float> values = default;
            Span<byte> keyBytes = stackalloc byte[4];
            long rows = 0;
            while (cursor.MoveNext())
            {
                getLabel(ref key);
                getFeatures(ref values);
                BitConverter.TryWriteBytes(keyBytes, key);
                sha.AppendData(keyBytes);
                if (values.IsDense)
                {
                    sha.AppendData(MemoryMarshal.AsBytes(values.GetValues()));
                }
                else
                {
                    var dense = new float[values.Length];
                    values.CopyTo(dense);
                    sha.AppendData(MemoryMarshal.AsBytes(dense.AsSpan()));
                }
                rows++;
            }
            BitConverter.TryWriteBytes(keyBytes, (int)rows);
            sha.AppendData(keyBytes);
        }
    }
}
