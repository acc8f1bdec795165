using System;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Labels read from an IDX file of unsigned bytes with 1 dimension (magic 2049), such as MNIST's
    /// <c>train-labels-idx1-ubyte</c>: one byte per item.
    /// </summary>
    /// <remarks>Returned by <see cref="IdxReader.ReadLabels(string)"/>. The generic reader accepts any byte value;
    /// the MNIST loader (<see cref="MnistCatalog"/>) additionally requires digits 0..9.</remarks>
    internal sealed class IdxLabels
    {
        internal IdxLabels(byte[] values)
        {
            ValueArray = values;
        }

        /// <summary>Number of labels (the single dimension of the IDX header).</summary>
        public int Count => ValueArray.Length;

        /// <summary>The labels in file order, one byte each (<see cref="Count"/> bytes).</summary>
        public ReadOnlyMemory<byte> Values => ValueArray;

        internal byte[] ValueArray { get; }
    }
}
