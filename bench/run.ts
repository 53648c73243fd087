/**
 * `npm run bench`: every benchmark, printed side by side as figures and ratios against their goals.
 * Benchmarks never pass or fail the test run (DESIGN.md); they report.
 */
export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly goal: string;
}

type Suite = { readonly title: string; readonly run: () => Promise<BenchFigure[]> };

const suites: Suite[] = [];

/** Loads the suites that exist (each feature adds its own *.bench.ts exporting a run function). */
async function loadSuites(): Promise<void> {
  const candidates: [string, string, string][] = [
    ['vault', './vault.bench', 'runVaultBench'],
    ['ssh', './ssh.bench', 'runSshBench'],
    ['terminal', './terminal.bench', 'runTerminalBench'],
  ];
  for (const [title, file, fn] of candidates) {
    try {
      const mod = (await import(file)) as Record<string, () => Promise<BenchFigure[]>>;
      const run = mod[fn];
      if (run) suites.push({ title, run });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
}

await loadSuites();
const only = process.argv.slice(2);
for (const s of suites) {
  if (only.length > 0 && !only.includes(s.title)) continue;
  console.log(`\n== ${s.title} ==`);
  for (const f of await s.run()) {
    console.log(
      `  ${f.name.padEnd(48)} ${String(Number(f.value.toFixed(3))).padStart(10)} ${f.unit.padEnd(6)}  goal ${f.goal}`,
    );
  }
}
