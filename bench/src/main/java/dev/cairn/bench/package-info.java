/** Benchmark harnesses; see docs/benchmarks.md. */
package dev.cairn.bench;
