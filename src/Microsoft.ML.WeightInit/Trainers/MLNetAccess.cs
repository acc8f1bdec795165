using System;
using System.Reflection;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>
    /// The things a third-party trainer needs from ML.NET that its public API does not hand out: the
    /// <see cref="MLContext"/> behind a catalog, and a <see cref="TrainerInfo"/> (its constructor is internal). They
    /// are read by reflection with a public fallback, and only here.
    /// </summary>
    internal static class MLNetAccess
    {
        /// <summary>The environment behind a trainers catalog; a new <see cref="MLContext"/> if it cannot be read.</summary>
        public static IHostEnvironment EnvironmentOf(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            object? owner = FindProperty(catalog.GetType(), "Owner", flags)?.GetValue(catalog);
            object? environment = owner is null ? null : FindProperty(owner.GetType(), "Environment", flags)?.GetValue(owner);
            return environment as IHostEnvironment ?? new MLContext();
        }

        /// <summary>The environment behind <c>mlContext.Model</c>; a new <see cref="MLContext"/> if it cannot be read.</summary>
        public static IHostEnvironment EnvironmentOf(ModelOperationsCatalog catalog)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            var field = catalog.GetType().GetField("_env", BindingFlags.Instance | BindingFlags.NonPublic);
            return field?.GetValue(catalog) as IHostEnvironment ?? new MLContext();
        }

        /// <summary>TrainerInfo: no normalization, no calibration, no caching (data is copied once into tensors),
        /// validation supported.</summary>
        public static TrainerInfo CreateTrainerInfo(MLContext fallbackContext)
        {
            var constructor = typeof(TrainerInfo).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public,
                new[] { typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool) });
            if (constructor?.Invoke(new object[] { false, false, false, true, false, false }) is TrainerInfo info)
            {
                return info;
            }
            // Public fallback: naive Bayes needs neither normalization, calibration nor caching either.
            return fallbackContext.MulticlassClassification.Trainers.NaiveBayes().Info;
        }

        private static PropertyInfo? FindProperty(Type? type, string name, BindingFlags flags)
        {
            for (; type is not null; type = type.BaseType)
            {
                var property = type.GetProperty(name, flags | BindingFlags.DeclaredOnly);
                if (property is not null)
                {
                    return property;
                }
            }
            return null;
        }
    }
}
