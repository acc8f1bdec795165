using System;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>Input of the scoring mapping: the features and the model blob.</summary>
    internal sealed class ScoreInput
    {
        [ColumnName(ModelFormat.FeaturesColumn)]
        public float[] Features = Array.Empty<float>();

        [ColumnName(ModelFormat.ModelColumn)]
        public ReadOnlyMemory<char> Model;
    }

    /// <summary>Output of the scoring mapping; one subclass per class count K (column types are fixed at compile
    /// time).</summary>
    internal abstract class ScoreOutput
    {
        /// <summary>The K probabilities to fill.</summary>
        public abstract float[] Probabilities();

        /// <summary>Sets the 0-based class and the key (class + 1).</summary>
        public abstract void SetClass(int best);
    }

    /// <summary>
    /// The scoring step of a saved InitCnn chain for K classes (created by ML.NET by contract name when loading a
    /// model zip): Score, the best class index and the best class as a key.
    /// </summary>
    /// <typeparam name="TOutput">The output type for K.</typeparam>
    internal abstract class ScoreMappingFactory<TOutput> : CustomMappingFactory<ScoreInput, TOutput>, IScoreStep
        where TOutput : ScoreOutput, new()
    {
        public override Action<ScoreInput, TOutput> GetMapping()
        {
            var scorer = new BlobScorer();
            return (input, output) => output.SetClass(scorer.Score(input.Model, input.Features, output.Probabilities()));
        }

        public IEstimator<ITransformer> CreateEstimator(MLContext mlContext)
        {
            string contract = GetType().GetCustomAttribute<CustomMappingFactoryAttributeAttribute>()!.ContractName;
            return mlContext.Transforms.CustomMapping(GetMapping(), contract);
        }
    }

    /// <summary>The scoring step of a saved chain, whatever K.</summary>
    internal interface IScoreStep
    {
        /// <summary>A custom mapping estimator with this step's contract name.</summary>
        IEstimator<ITransformer> CreateEstimator(MLContext mlContext);
    }

    /// <summary>Creates the scoring step of a saved chain.</summary>
    internal static class ScoreMappings
    {
        /// <summary>The factory for K classes, or null when the model zip cannot hold K classes.</summary>
        public static IScoreStep? For(int classes) => classes switch
        {
            2 => new ScoreFactory2(),
            3 => new ScoreFactory3(),
            4 => new ScoreFactory4(),
            5 => new ScoreFactory5(),
            6 => new ScoreFactory6(),
            7 => new ScoreFactory7(),
            8 => new ScoreFactory8(),
            9 => new ScoreFactory9(),
            10 => new ScoreFactory10(),
            _ => null,
        };
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "2")]
    internal sealed class ScoreFactory2 : ScoreMappingFactory<ScoreOutput2>
    {
    }

    internal sealed class ScoreOutput2 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(2)]
        public float[] Score = new float[2];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(2)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "3")]
    internal sealed class ScoreFactory3 : ScoreMappingFactory<ScoreOutput3>
    {
    }

    internal sealed class ScoreOutput3 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(3)]
        public float[] Score = new float[3];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(3)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "4")]
    internal sealed class ScoreFactory4 : ScoreMappingFactory<ScoreOutput4>
    {
    }

    internal sealed class ScoreOutput4 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(4)]
        public float[] Score = new float[4];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(4)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "5")]
    internal sealed class ScoreFactory5 : ScoreMappingFactory<ScoreOutput5>
    {
    }

    internal sealed class ScoreOutput5 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(5)]
        public float[] Score = new float[5];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(5)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "6")]
    internal sealed class ScoreFactory6 : ScoreMappingFactory<ScoreOutput6>
    {
    }

    internal sealed class ScoreOutput6 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(6)]
        public float[] Score = new float[6];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(6)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "7")]
    internal sealed class ScoreFactory7 : ScoreMappingFactory<ScoreOutput7>
    {
    }

    internal sealed class ScoreOutput7 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(7)]
        public float[] Score = new float[7];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(7)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "8")]
    internal sealed class ScoreFactory8 : ScoreMappingFactory<ScoreOutput8>
    {
    }

    internal sealed class ScoreOutput8 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(8)]
        public float[] Score = new float[8];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(8)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "9")]
    internal sealed class ScoreFactory9 : ScoreMappingFactory<ScoreOutput9>
    {
    }

    internal sealed class ScoreOutput9 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(9)]
        public float[] Score = new float[9];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(9)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }

    [CustomMappingFactoryAttribute(ModelFormat.ScoreContractPrefix + "10")]
    internal sealed class ScoreFactory10 : ScoreMappingFactory<ScoreOutput10>
    {
    }

    internal sealed class ScoreOutput10 : ScoreOutput
    {
        [ColumnName(ModelFormat.ScoreColumn), VectorType(10)]
        public float[] Score = new float[10];

        [ColumnName(ModelFormat.ClassColumn)]
        public uint Class;

        [ColumnName(ModelFormat.KeyColumn), KeyType(10)]
        public uint Key;

        public override float[] Probabilities() => Score;

        public override void SetClass(int best) => (Class, Key) = ((uint)best, (uint)best + 1);
    }
}
