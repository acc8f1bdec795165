using System;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Training
{
    /// <summary>The image layout is read from the feature column's dimensions, or from the options.</summary>
    [TestClass]
    public sealed class InputColumnsTests
    {
        [TestMethod]
        [DataRow(new[] { 784 }, 1, 28, 28)]
        [DataRow(new[] { 28, 28 }, 1, 28, 28)]
        [DataRow(new[] { 1, 28, 28 }, 1, 28, 28)]
        [DataRow(new[] { 3, 24, 32 }, 3, 24, 32)]
        [DataRow(new[] { 1024 }, 1, 32, 32)]
        public void FeatureDimensions_GiveTheImageLayout(int[] dimensions, int channels, int height, int width)
        {
            var schema = Schema(new VectorDataViewType(NumberDataViewType.Single, dimensions));

            var layout = InputColumns.CheckFeatures(schema, "Features");

            Assert.AreEqual((channels, height, width), layout);
        }

        [TestMethod]
        public void ExplicitSize_OverridesTheDimensions()
        {
            var schema = Schema(new VectorDataViewType(NumberDataViewType.Single, 28, 28, 1)); // interleaved [H, W, C]

            Assert.AreEqual((1, 28, 28), InputColumns.CheckFeatures(schema, "Features", channels: 1, height: 28, width: 28));
        }

        [TestMethod]
        public void ExplicitSize_ThatDoesNotMultiplyToTheVectorSize_IsRejected()
        {
            var schema = Schema(new VectorDataViewType(NumberDataViewType.Single, 784));

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => InputColumns.CheckFeatures(schema, "Features", 3, 28, 28));

            StringAssert.Contains(e.Message, "has 784 values; the image size given (3 × 28 × 28) needs 2352");
        }

        private static DataViewSchema Schema(DataViewType features)
        {
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Features", features);
            return builder.ToSchema();
        }
    }
}
