// Preloaded into the exchange child by the memory figure (plain JS, no TypeScript needed): on
// SIGWINCH, runs a full garbage collection when node was started with --expose-gc, then writes
// process.memoryUsage() to $BENCH_PROBE_FILE. SIGWINCH because NestJS's shutdown hooks take
// SIGUSR2 (and SIGUSR1 starts the inspector).
process.on('SIGWINCH', () => {
  if (typeof global.gc === 'function') global.gc();
  require('node:fs').writeFileSync(process.env.BENCH_PROBE_FILE, JSON.stringify(process.memoryUsage()));
});
