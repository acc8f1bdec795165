using Microsoft.VisualStudio.TestTools.UnitTesting;

// Tests share the process-wide libtorch runtime; TorchSharp state (threads, default generator) is global.
[assembly: DoNotParallelize]
