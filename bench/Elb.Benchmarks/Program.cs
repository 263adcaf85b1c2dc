using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Elb.Benchmarks.PickBenchmarks).Assembly).Run(args);
