/**
 * `npm run bench`: every benchmark, printed as figures against their goals (ratios measured side by side in
 * one run). Benchmarks never pass or fail the test run (DESIGN.md); they report. `npm run bench -- ssh` runs one.
 */
export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly goal: string;
}

const suites: Record<string, () => Promise<BenchFigure[]>> = {
  vault: async () => (await import('./vault.bench')).runVaultBench(),
  ssh: async () => (await import('./ssh.bench')).runSshBench(),
  keystroke: async () => (await import('./terminal.bench')).runKeystrokeBench(),
  'terminal-ui': async () => (await import('./terminal-ui.bench')).runTerminalUiBench(),
  history: async () => (await import('./history.bench')).runHistoryBench(),
  sites: async () => (await import('./sites.bench')).runSitesBench(),
  certificates: async () => (await import('./certificates.bench')).runCertificatesBench(),
  metrics: async () => (await import('./metrics.bench')).runMetricsBench(),
  'fleet-ui': async () => (await import('./fleet-ui.bench')).runFleetUiBench(),
  'metrics-collect': async () => (await import('./metrics-collect.bench')).runMetricsCollectBench(),
  peer: async () => (await import('./peer.bench')).runPeerBench(),
};

const only = process.argv.slice(2);
for (const [title, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(title)) continue;
  console.log(`\n== ${title} ==`);
  for (const f of await run()) {
    const v = Math.abs(f.value) >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
    console.log(`  ${f.name.padEnd(52)} ${v.padStart(9)} ${f.unit.padEnd(6)} goal ${f.goal}`);
  }
}
