// Preloaded into a benchmarked process (`node -r`): writes its peak RSS in KiB where the benchmark asks.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.NESTKIT_BENCH_RSS_FILE)
    writeFileSync(process.env.NESTKIT_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
