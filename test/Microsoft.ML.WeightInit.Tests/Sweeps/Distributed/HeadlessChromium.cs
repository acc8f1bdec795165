using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps.Distributed
{
    /// <summary>Debian's <c>chromium</c>, headless, with a fresh profile: the DOM of a page after its scripts ran.</summary>
    internal static class HeadlessChromium
    {
        public static string DumpDom(string url)
        {
            string? chromium = new[] { "chromium", "chromium-browser" }
                .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)))
                .FirstOrDefault(File.Exists);
            if (chromium is null)
            {
                Assert.Inconclusive("Headless Chromium is not installed (Debian package 'chromium'; eng/test.sh installs it): the dashboard cannot be opened.");
            }
            string profile = Path.Combine(Path.GetTempPath(), $"chromium-profile-{Guid.NewGuid():N}");
            try
            {
                var start = new ProcessStartInfo(chromium)
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (string argument in new[]
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                    "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--dump-dom", url,
                })
                {
                    start.ArgumentList.Add(argument);
                }
                using var process = Process.Start(start)!;
                var errors = process.StandardError.ReadToEndAsync();
                var dom = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail($"chromium did not finish loading {url} within 90 s");
                }
                process.WaitForExit();
                Assert.AreEqual(0, process.ExitCode, $"chromium failed on {url}: {errors.Result}");
                return dom.Result;
            }
            finally
            {
                try
                {
                    Directory.Delete(profile, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
