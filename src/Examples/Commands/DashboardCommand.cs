using System;
using System.ComponentModel;
using System.Threading;
using global::Hangfire;
using global::Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML.WeightInit.Hangfire;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// Serves Hangfire's dashboard of a sweep's storage (queued, running, succeeded and failed trials, the workers) on
    /// 127.0.0.1 only, read-only unless <c>--allow-actions</c>.
    /// </summary>
    public sealed class DashboardCommand : Command<DashboardCommand.Settings>
    {
        /// <summary>Options of <c>dashboard</c>.</summary>
        public sealed class Settings : StorageSettings
        {
            /// <summary>Port.</summary>
            [CommandOption("--port <PORT>")]
            [Description("Port on 127.0.0.1 (the dashboard is never bound to other addresses; reach it from elsewhere through an SSH tunnel). Default: 5151.")]
            public int Port { get; init; } = 5151;

            /// <summary>Allow actions.</summary>
            [CommandOption("--allow-actions")]
            [Description("Enable the dashboard's buttons (requeue, delete jobs). Default: read-only.")]
            public bool AllowActions { get; init; }

            /// <inheritdoc/>
            public override ValidationResult Validate()
            {
                if (base.Validate() is { Successful: false } error)
                {
                    return error;
                }
                return Port is < 1 or > 65535 ? ValidationResult.Error($"--port must be 1 to 65535; got {Port}.") : ValidationResult.Success();
            }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            var options = settings.Options();
            var storage = SweepStorage.Open(options);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
            builder.Services.AddHangfire(configuration => configuration.UseStorage(storage));
            using var app = builder.Build();
            app.UseHangfireDashboard("/hangfire", new DashboardOptions
            {
                DashboardTitle = "weightinit sweeps",
                IsReadOnlyFunc = _ => !settings.AllowActions,
                Authorization = new IDashboardAuthorizationFilter[] { new LocalRequestsOnlyAuthorizationFilter() },
                AppPath = null,
            }, storage);
            app.StartAsync(cancellationToken).GetAwaiter().GetResult();
            Console.Out.WriteLine($"Dashboard of PostgreSQL at {options.Endpoint}: http://127.0.0.1:{settings.Port}/hangfire ({(settings.AllowActions ? "actions enabled" : "read-only")}). Ctrl+C stops.");
            try
            {
                app.WaitForShutdownAsync(cancellationToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }
            app.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            return 0;
        }
    }
}
