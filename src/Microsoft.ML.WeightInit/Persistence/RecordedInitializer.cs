using System;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// An initializer of a loaded model known only by its text form: a custom <see cref="IWeightInitializer"/> that
    /// <see cref="WeightInitializer.Parse(string)"/> does not know. It describes the model; it cannot initialize.
    /// </summary>
    /// <param name="TextForm">The text form recorded in the model.</param>
    internal sealed record RecordedInitializer(string TextForm) : IWeightInitializer
    {
        public void Initialize(torch.Tensor tensor, WeightInitContext context) =>
            throw new InvalidOperationException(
                $"The initializer '{TextForm}' of a loaded model is known only by its text form; create it again to train with it.");

        public override string ToString() => TextForm;

        /// <summary>The parsed initializer, or a recorded one when the text form is not a known scheme.</summary>
        public static IWeightInitializer From(string textForm) =>
            WeightInitializer.TryParse(textForm, out var parsed, out _) ? parsed : new RecordedInitializer(textForm);
    }
}
