if (args.Length > 0 && args[0] == "gemm-quick") { Glassbox.Benchmarks.GemmQuickHarness.Run(args[1..]); return; }
if (args.Length > 0 && args[0] == "generation-quick") { Glassbox.Benchmarks.GenerationQuickHarness.Run(args[1..]); return; }
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args); public partial class Program {}
