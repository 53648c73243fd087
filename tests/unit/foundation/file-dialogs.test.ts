import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/create-core';
import { memorySink } from '../../../src/main/core/logger';
import type { FileDialogOptions } from '../../../src/shared/contract/app.contract';
import { tempDir } from '../../support/core-harness';

const ctx = { transport: 'web' } as const;

/** app.pickFile / app.pickSaveFile (issue 8 item 6): served by the shell's dialogs hook, UNSUPPORTED without one. */
describe('file dialogs', () => {
  it('answer UNSUPPORTED where there is no native dialog (web host, CLI)', async () => {
    const core = createCore({ dataDir: tempDir('pd-dialogs-'), logSink: memorySink().sink, strict: true });
    for (const m of ['app.pickFile', 'app.pickSaveFile']) {
      const r = await core.dispatcher.call(m, { title: 'Choose' }, ctx);
      expect(r, m).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    }
    await core.close();
  });

  it('pass the options to the shell with ~ expanded, and return its answer (null = cancelled)', async () => {
    const home = tempDir('pd-dialogs-home-');
    const seen: [string, FileDialogOptions][] = [];
    // A stand-in for Electron's dialog module, which cannot open here: the hook is the whole contract.
    const core = createCore({
      dataDir: tempDir('pd-dialogs-'),
      homeDir: home,
      logSink: memorySink().sink,
      strict: true,
      dialogs: {
        pickFile: (o) => (seen.push(['open', o]), Promise.resolve('/picked/file')),
        pickSaveFile: (o) => (seen.push(['save', o]), Promise.resolve(null)),
      },
    });
    const open = await core.dispatcher.call('app.pickFile', { title: 'Open', defaultPath: '~/.ssh/config' }, ctx);
    expect(open).toEqual({ ok: true, value: { path: '/picked/file' } });
    const save = await core.dispatcher.call('app.pickSaveFile', { title: 'Save' }, ctx);
    expect(save).toEqual({ ok: true, value: { path: null } });
    expect(seen).toEqual([
      ['open', { title: 'Open', defaultPath: path.join(home, '.ssh/config') }],
      ['save', { title: 'Save', defaultPath: home }],
    ]);
    await core.close();
  });
});
