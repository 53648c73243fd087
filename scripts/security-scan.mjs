#!/usr/bin/env node
// Electron security scan: runs electronegativity over the app's sources and fails on any HIGH or MEDIUM
// finding (electronegativity itself exits 0 whatever it finds; TOOLCHAIN.md). Offline: its two network
// look-ups (translations, Electron release notes) are stubbed to fail at once, so nothing leaves the machine.
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const offlineGot = Object.assign(() => Promise.reject(new Error('offline: network disabled for the scan')), {
  head: () => Promise.reject(new Error('offline: network disabled for the scan')),
});
const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  if (request === 'got') return offlineGot;
  return originalLoad.call(this, request, ...rest);
};

const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const run = require('@doyensec/electronegativity');
const inputs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src'];
const log = console.log;
console.log = () => {}; // its chatter about translations; the findings are printed below
let failed = 0;
let total = 0;
const rows = [];
try {
  for (const input of inputs) {
    const result = await run({
      input,
      electronVersionOverride: electronVersion,
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      isRelative: true,
    });
    for (const issue of result.issues) {
      total++;
      const sev = issue.severity.name ?? String(issue.severity.value);
      const bad = /^(HIGH|MEDIUM)$/i.test(sev);
      if (bad) failed++;
      rows.push(
        `${bad ? 'FAIL' : 'info'}  ${sev.padEnd(13)} ${issue.id.padEnd(34)} ${path.join(input, issue.file)}:${issue.location.line}  ${issue.description}`,
      );
    }
  }
} finally {
  console.log = log;
}
for (const r of rows) console.log(r);
console.log(`electronegativity ${electronVersion}: ${total} findings, ${failed} HIGH/MEDIUM`);
process.exitCode = failed > 0 ? 1 : 0;
