using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Microsoft.ML.WeightInit.Tests.Data
{
    /// <summary>A tiny HTTP server on 127.0.0.1 serving fixed files by name, recording what was asked.</summary>
    internal sealed class LoopbackMirror : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly IReadOnlyDictionary<string, byte[]> _files;
        private readonly Task _loop;

        public LoopbackMirror(IReadOnlyDictionary<string, byte[]> files)
        {
            _files = files;
            Url = new Uri($"http://127.0.0.1:{FreePort()}/mnist/");
            _listener.Prefixes.Add(Url.AbsoluteUri);
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public Uri Url { get; }

        public ConcurrentQueue<string> Requests { get; } = new();

        /// <summary>A URL on a loopback port nothing listens on (connection refused).</summary>
        public static Uri ClosedPortUrl() => new($"http://127.0.0.1:{FreePort()}/mnist/");

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                string name = context.Request.Url!.Segments[^1];
                Requests.Enqueue(name);
                if (_files.TryGetValue(name, out byte[]? body))
                {
                    context.Response.StatusCode = 200;
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                }
                else
                {
                    context.Response.StatusCode = 404;
                }
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
