using System;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>
    /// The things a third-party trainer needs from ML.NET that its public API does not hand out: the environment
    /// behind a catalog (the user's <see cref="MLContext"/>'s, with its log and seed), catalogs bound to that
    /// environment, and a <see cref="TrainerInfo"/>. They are read by reflection, only here; when a member is missing
    /// (another ML.NET version) the error names it, and nothing falls back to a new <see cref="MLContext"/>.
    /// </summary>
    internal static class MLNetAccess
    {
        private const BindingFlags Members = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        /// <summary>The environment behind a trainers catalog (<c>catalog.Owner.Environment</c>).</summary>
        /// <exception cref="MissingMemberException">This ML.NET has no such member (the message names it).</exception>
        public static IHostEnvironment EnvironmentOf(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            object owner = FindProperty(catalog.GetType(), "Owner")?.GetValue(catalog)
                ?? throw Missing(catalog.GetType(), "Owner");
            return FindProperty(owner.GetType(), "Environment")?.GetValue(owner) as IHostEnvironment
                ?? throw Missing(owner.GetType(), "Environment");
        }

        /// <summary>The environment behind <c>mlContext.Model</c> (its <c>_env</c> field).</summary>
        /// <exception cref="MissingMemberException">This ML.NET has no such field (the message names it).</exception>
        public static IHostEnvironment EnvironmentOf(ModelOperationsCatalog catalog)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            return catalog.GetType().GetField("_env", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(catalog) as IHostEnvironment
                ?? throw Missing(catalog.GetType(), "_env");
        }

        /// <summary>The transforms and data catalogs of an environment: an <see cref="MLContext"/>'s own, or new ones
        /// bound to the environment (ML.NET's internal constructors), so what they build logs to the user's context and
        /// uses its seed.</summary>
        /// <exception cref="MissingMemberException">This ML.NET has no such constructor (the message names it).</exception>
        public static MLNetCatalogs CatalogsOf(IHostEnvironment environment)
        {
            ArgumentNullException.ThrowIfNull(environment);
            return environment is MLContext context
                ? new MLNetCatalogs(context.Transforms, context.Data)
                : new MLNetCatalogs(Construct<TransformsCatalog>(environment), Construct<DataOperationsCatalog>(environment));
        }

        /// <summary>TrainerInfo: no normalization, no calibration, no caching (data is copied once into tensors),
        /// validation supported.</summary>
        /// <exception cref="MissingMemberException">This ML.NET's TrainerInfo has no constructor of six bools.</exception>
        public static TrainerInfo CreateTrainerInfo()
        {
            var parameters = new[] { typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool) };
            var constructor = typeof(TrainerInfo).GetConstructor(Members, parameters)
                ?? throw Missing(typeof(TrainerInfo), "constructor (bool normalization, bool calibration, bool caching, bool supportValid, bool supportIncrementalTrain, bool supportTest)");
            return (TrainerInfo)constructor.Invoke(new object[] { false, false, false, true, false, false });
        }

        private static T Construct<T>(IHostEnvironment environment)
            where T : class
        {
            var constructor = typeof(T).GetConstructor(Members, new[] { typeof(IHostEnvironment) })
                ?? throw Missing(typeof(T), "constructor (IHostEnvironment env)");
            return (T)constructor.Invoke(new object[] { environment });
        }

        private static MissingMemberException Missing(Type type, string member) =>
            new($"ML.NET internals changed: {type.FullName} has no {member}, which Microsoft.ML.WeightInit reads to reach the MLContext's environment " +
                $"(built against Microsoft.ML 5.0; loaded {typeof(MLContext).Assembly.GetName().Version}).");

        private static PropertyInfo? FindProperty(Type? type, string name)
        {
            for (; type is not null; type = type.BaseType)
            {
                var property = type.GetProperty(name, Members | BindingFlags.DeclaredOnly);
                if (property is not null)
                {
                    return property;
                }
            }
            return null;
        }
    }

    /// <summary>The catalogs of one ML.NET environment that scoring chains are built from.</summary>
    /// <param name="Transforms">Transforms bound to the environment.</param>
    /// <param name="Data">Data operations bound to the environment.</param>
    internal sealed record MLNetCatalogs(TransformsCatalog Transforms, DataOperationsCatalog Data);
}
