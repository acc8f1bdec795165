using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>Finds the <see cref="InitCnnTransformer"/> inside a fitted or loaded ML.NET model.</summary>
    public static class InitCnnModelExtensions
    {
        /// <summary>
        /// The <see cref="InitCnnTransformer"/> of <paramref name="model"/>: the model itself, or the single one in its
        /// transformer chain (nested chains included), as <c>pipeline.Fit(...)</c>, <c>LoadInitCnn</c> and
        /// <c>ImportInitCnn</c> return it. Use it for <c>Model.History</c>, <c>Model.Network</c> or
        /// <c>Model.ExportStateDict</c>.
        /// </summary>
        /// <param name="model">A fitted or loaded model.</param>
        /// <returns>The InitCnn transformer.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="InvalidOperationException">The model holds no InitCnn transformer (e.g. a zip loaded with plain
        /// <c>mlContext.Model.Load</c>, which gives the saved chain: load it with <c>mlContext.Model.LoadInitCnn</c>), or
        /// more than one.</exception>
        public static InitCnnTransformer GetInitCnn(this ITransformer model)
        {
            ArgumentNullException.ThrowIfNull(model);
            var found = Find(model).Take(2).ToList();
            return found.Count switch
            {
                1 => found[0],
                0 => throw new InvalidOperationException(
                    "The model holds no InitCnnTransformer. A zip loaded with mlContext.Model.Load gives the saved chain of ML.NET " +
                    "transformers: load it with mlContext.Model.LoadInitCnn (namespace Microsoft.ML.WeightInit.Persistence) to get the InitCnnTransformer back."),
                _ => throw new InvalidOperationException("The model holds more than one InitCnnTransformer: pick one from its chain."),
            };
        }

        private static IEnumerable<InitCnnTransformer> Find(ITransformer model) => model switch
        {
            InitCnnTransformer cnn => new[] { cnn },
            IEnumerable<ITransformer> chain => chain.SelectMany(Find),
            _ => Array.Empty<InitCnnTransformer>(),
        };
    }
}
