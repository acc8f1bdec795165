namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>The architecture text forms the <c>--arch</c> option of every command accepts, for its help text (one place).</summary>
    internal static class ArchitectureForms
    {
        /// <summary>Every family with its parameters and defaults.</summary>
        public const string List = "mnist_net (the seed net), mlp(depth=30, width=256, activation=relu|tanh|linear|selu), "
            + "plain_cnn(depth=20, width=32, activation=relu, batch_norm=false|true), resnet(blocks=8, width=16, batch_norm=false|true)";
    }
}
