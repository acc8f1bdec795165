using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests
{
    /// <summary>The built Examples app, for tests that run it as a separate process.</summary>
    internal static class ExamplesApp
    {
        /// <summary>Path of Microsoft.ML.WeightInit.Examples.dll built in the same configuration and target framework as
        /// the tests (src/Examples/bin/&lt;Configuration&gt;/&lt;tfm&gt;/); fails the test when it is not built.</summary>
        public static string AssemblyPath()
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            string configuration = here.Parent!.Name; // bin/<Configuration>/<tfm>/
            var root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Extensions.sln")))
            {
                root = root.Parent;
            }
            Assert.IsNotNull(root, "repository root not found");
            string path = Path.Combine(root.FullName, "src", "Examples", "bin", configuration, here.Name, "Microsoft.ML.WeightInit.Examples.dll");
            Assert.IsTrue(File.Exists(path), $"Examples app not built: {path}");
            return path;
        }
    }
}
