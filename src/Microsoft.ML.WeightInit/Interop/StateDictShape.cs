using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Interop
{
    /// <summary>
    /// The <see cref="ImageShape"/> a PyTorch state dict of an architecture was made for: the classes K from the last
    /// layer's weight, the channels C (and, for the MLP, the image size) from the first layer's, the rest from the
    /// options. Which tensors are the first and the last layer comes from the architecture
    /// (<see cref="NetworkArchitecture.LayerNames"/>); whether every tensor then fits is checked against
    /// <see cref="NetworkArchitecture.ParameterShapes"/> when the network is built.
    /// </summary>
    internal static class StateDictShape
    {
        /// <summary>The image shape of <paramref name="tensors"/> read as <paramref name="architecture"/>.</summary>
        /// <exception cref="InvalidDataException">The first or last layer's weight is missing or of another rank, the
        /// sizes do not give an image shape (the message says which option to give), or fewer than 2 classes.</exception>
        /// <exception cref="ArgumentException">The architecture hides the image size (global average pooling) and
        /// <see cref="InitCnnImportOptions.ImageHeight"/> is 0 (<see cref="ArgumentException.ParamName"/>
        /// <c>ImageHeight</c>).</exception>
        public static ImageShape Of(NetworkArchitecture architecture, IReadOnlyDictionary<string, Tensor> tensors, InitCnnImportOptions options)
        {
            if (architecture.Kind == ArchitectureKind.MnistNet)
            {
                return SeedNet(tensors, options);
            }
            bool mlp = architecture.Kind == ArchitectureKind.Mlp;
            var first = Get(tensors, architecture, 0, mlp ? 2 : 4, mlp ? "C·H·W" : "C", 1);
            var last = Get(tensors, architecture, architecture.Depth - 1, 2, "K", 0);
            long inputs = first.shape[1];
            int classes = Classes(last, architecture);
            int height = options.ImageHeight, width = options.ImageWidth == 0 ? options.ImageHeight : options.ImageWidth;
            if (height < 0 || width < 0 || (height == 0 && options.ImageWidth != 0))
            {
                throw new ParameterRangeException(height < 0 ? nameof(InitCnnImportOptions.ImageHeight) : nameof(InitCnnImportOptions.ImageWidth),
                    height < 0 ? height : options.ImageWidth, "ImageHeight and ImageWidth must be 0 (inferred) or positive, and ImageWidth must be 0 when ImageHeight is 0.");
            }
            string name = WeightOf(architecture, 0);
            if (mlp)
            {
                if (height == 0)
                {
                    // Only C·H·W is in the file; the MLP flattens the image, so 1 × s × s computes the same scores.
                    long side = (long)Math.Round(Math.Sqrt(inputs));
                    if (side * side != inputs)
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                            $"{name} has {inputs} inputs (C·H·W), not a square number for 1-channel square images: give ImageHeight and ImageWidth in InitCnnImportOptions ({architecture.TextForm})."));
                    }
                    return Create(1, side, side, classes, name, architecture);
                }
                if (inputs % ((long)height * width) != 0)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{name} has {inputs} inputs (C·H·W), not a multiple of ImageHeight × ImageWidth = {height} × {width} ({architecture.TextForm})."));
                }
                return new ImageShape(checked((int)(inputs / ((long)height * width))), height, width, classes);
            }
            if (height == 0)
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"{architecture.TextForm} ends in global average pooling, so its state dict does not fix the image size: set InitCnnImportOptions.ImageHeight (and ImageWidth, if not square) to the size the network was trained on."),
                    nameof(InitCnnImportOptions.ImageHeight));
            }
            return new ImageShape(checked((int)inputs), height, width, classes);
        }

        /// <summary>The seed net's rule, unchanged: C from conv1, K from fc2, and the smallest square image whose two
        /// conv + pool steps give fc1's input size.</summary>
        private static ImageShape SeedNet(IReadOnlyDictionary<string, Tensor> tensors, InitCnnImportOptions options)
        {
            var conv1 = SeedNetGet(tensors, "conv1.weight", 4);
            var fc1 = SeedNetGet(tensors, "fc1.weight", 2);
            var fc2 = SeedNetGet(tensors, "fc2.weight", 2);
            long pooled = fc1.shape[1] / 50;
            int height = options.ImageHeight, width = options.ImageWidth;
            if (height == 0)
            {
                int side = (int)Math.Round(Math.Sqrt(pooled));
                if (side * side != pooled || fc1.shape[1] % 50 != 0)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"fc1.weight has {fc1.shape[1]} inputs, not 50 × s × s for square images: give ImageHeight and ImageWidth in the options."));
                }
                height = 4 * side + 12; // the smallest side whose two conv + pool steps leave side
            }
            if (width == 0)
            {
                width = height;
            }
            if (fc2.shape[0] < 2)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"fc2.weight has shape [{fc2.shape[0]}, {fc2.shape[1]}]: {fc2.shape[0]} class, but a classifier needs at least 2 (fc2.weight [K, 500] with K ≥ 2)"));
            }
            return new ImageShape((int)conv1.shape[1], height, width, (int)fc2.shape[0]);
        }

        private static Tensor SeedNetGet(IReadOnlyDictionary<string, Tensor> tensors, string name, int rank)
        {
            if (!tensors.TryGetValue(name, out var tensor) || tensor.dim() != rank)
            {
                throw new InvalidDataException(
                    $"The state dict has no {rank}-D '{name}'; expected the parameters of PyTorch's MNIST Net (conv1, conv2, fc1, fc2). Found: {string.Join(", ", tensors.Keys)}.");
            }
            return tensor;
        }

        private static int Classes(Tensor last, NetworkArchitecture architecture)
        {
            if (last.shape[0] < 2)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{WeightOf(architecture, architecture.Depth - 1)} has shape [{string.Join(", ", last.shape)}]: {last.shape[0]} class, but a classifier needs at least 2 ({architecture.TextForm})."));
            }
            return checked((int)last.shape[0]);
        }

        /// <summary>An image shape read off the file alone: sides out of <see cref="ImageShape"/>'s range are the file's
        /// fault, not an option's.</summary>
        private static ImageShape Create(long channels, long height, long width, int classes, string name, NetworkArchitecture architecture)
        {
            try
            {
                return new ImageShape(checked((int)channels), checked((int)height), checked((int)width), classes);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}'s inputs give {channels} × {height} × {width} images, which {architecture.TextForm} cannot take ({(e is ArgumentException a ? ParameterErrors.ReasonOf(a) : e.Message)}): give ImageHeight and ImageWidth in InitCnnImportOptions."), e);
            }
        }

        private static string WeightOf(NetworkArchitecture architecture, int layer) => architecture.LayerNames[layer] + ".weight";

        /// <summary>Layer <paramref name="layer"/>'s weight of rank <paramref name="rank"/>, or an error naming it, the
        /// shape the architecture expects (dimension <paramref name="unknownDimension"/> read
        /// <paramref name="unknown"/>: what the file is to tell) and the architecture.</summary>
        private static Tensor Get(IReadOnlyDictionary<string, Tensor> tensors, NetworkArchitecture architecture, int layer, int rank,
            string unknown, int unknownDimension)
        {
            string name = WeightOf(architecture, layer);
            if (tensors.TryGetValue(name, out var tensor) && tensor.dim() == rank)
            {
                return tensor;
            }
            // The expected shape on some image: every dimension but the one the file decides is fixed by the architecture.
            var expected = architecture.ParameterShapes(ImageShape.Mnist).First(p => p.Name == name).Shape
                .Select((d, i) => i == unknownDimension ? unknown : d.ToString(CultureInfo.InvariantCulture));
            string found = tensor is null ? "there is no such tensor" : $"'{name}' has shape [{string.Join(", ", tensor.shape)}]";
            throw new InvalidDataException(
                $"The state dict has no {rank}-D '{name}' (expected shape [{string.Join(", ", expected)}]) for {architecture.TextForm}: {found}. Found: {Abbreviated(tensors.Keys)}.");
        }

        private static string Abbreviated(IEnumerable<string> names)
        {
            var list = names.ToList();
            return list.Count <= 12 ? string.Join(", ", list) : string.Join(", ", list.Take(12)) + string.Create(CultureInfo.InvariantCulture, $", … ({list.Count} tensors)");
        }
    }
}
