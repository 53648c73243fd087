import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core/create-core';
import { defaultDataDir } from '../core/paths';
import { startWsHost } from './ws-host';

/**
 * `npm run dev:web`: builds the renderer and serves it with the core on 127.0.0.1, for browsers and the e2e
 * suite (where Electron cannot start). Prints the URL with the per-launch token; `--json` prints one JSON line
 * {url, origin, port, token} instead, for test harnesses.
 */
/**
 * Tests only (the e2e suite's pebble peer): `PANELDECK_TEST_ACME_DIRECTORY_CAS` = JSON `{ directoryUrl: caPem }`, the
 * CA of a private ACME directory's own HTTPS API. Trusted for that directory only; unset outside tests.
 */
function testAcmeDirectoryCas(): Record<string, string> | undefined {
  const raw = process.env.PANELDECK_TEST_ACME_DIRECTORY_CAS;
  if (!raw) return undefined;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error('PANELDECK_TEST_ACME_DIRECTORY_CAS is a JSON object of directory URL to CA PEM.');
  }
  return parsed as Record<string, string>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'static-dir': { type: 'string', default: process.env.PANELDECK_WEB_OUT ?? 'out/web' },
      // Benchmarks measure the shipped configuration: no contract validation of results and events.
      'no-strict': { type: 'boolean', default: false },
    },
  });
  const staticDir = path.resolve(values['static-dir']);
  if (!values['no-build']) {
    const { build } = await import('vite');
    await build({ configFile: path.resolve('vite.web.config.ts'), logLevel: values.json ? 'silent' : 'info' });
  }
  const directoryCas = testAcmeDirectoryCas();
  const core = createCore({
    dataDir: values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir(),
    strict: !values['no-strict'],
    ...(directoryCas ? { acme: { directoryCas } } : {}),
  });
  const host = await startWsHost({ core, port: Number(values.port), staticDir });

  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ url: host.url, origin: host.origin, port: host.port, token: host.token })}\n`,
    );
  } else {
    process.stdout.write(
      `\nPanelDeck core on ${host.origin} (loopback only). Open:\n\n  ${host.url}\n\nCtrl+C stops it.\n`,
    );
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void host
      .close()
      .then(() => core.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A harness that spawned us closes our stdin to ask us to stop (no signal juggling across tsx's wrapper).
  if (values.json) process.stdin.on('end', stop).resume();
}

await main();
