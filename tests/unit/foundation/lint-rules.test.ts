import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The snippets are not files of the TypeScript project, so type-aware rules are turned off for them;
// the local rules under test need no type information.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [
    { ...tseslint.configs.disableTypeChecked, files: ['**/*.ts'] },
    { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: null } } },
  ],
});

/** Lints `code` as if it lived at `filePath`, returning the local rule ids that fired. */
async function localRules(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result?.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`lint could not parse ${filePath}: ${fatal.message}`);
  return (result?.messages ?? []).map((m) => m.ruleId ?? '').filter((r) => r.startsWith('local/'));
}

describe('layering lint (DESIGN.md rule 1)', () => {
  it('fails an electron import under src/main outside src/main/electron', async () => {
    const rules = await localRules("import { app } from 'electron';\nexport const x = app;\n", 'src/main/core/bad.ts');
    expect(rules).toContain('local/code-layering');
  });

  it('allows electron in src/main/electron and type-only imports elsewhere', async () => {
    expect(
      await localRules("import { app } from 'electron';\nexport const x = app;\n", 'src/main/electron/ok.ts'),
    ).toEqual([]);
    expect(
      await localRules("import type { App } from 'electron';\nexport type X = App;\n", 'src/main/core/ok.ts'),
    ).toEqual([]);
  });

  it('fails the renderer importing src/main, and src/shared importing anything of ours but itself', async () => {
    expect(
      await localRules(
        "import { createCore } from '../../main/core/create-core';\nexport const c = createCore;\n",
        'src/renderer/lib/bad.ts',
      ),
    ).toContain('local/code-layering');
    expect(
      await localRules(
        "import { LOOPBACK } from '../main/host/ws-host';\nexport const l = LOOPBACK;\n",
        'src/shared/bad.ts',
      ),
    ).toContain('local/code-layering');
    expect(await localRules("import fs from 'node:fs';\nexport const f = fs;\n", 'src/shared/bad.ts')).toContain(
      'local/code-layering',
    );
  });

  it('keeps the SSH library and the drivers out of services, and renderer features behind their index.ts', async () => {
    const imp = (from: string): string => `import { x } from '${from}';\nexport const y = x;\n`;
    expect(await localRules(imp('../vault/vault.service'), 'src/main/ssh/bad.ts')).toContain(
      'local/feature-boundaries',
    );
    expect(await localRules(imp('../inventory/servers.service'), 'src/main/ssh/bad.ts')).toContain(
      'local/feature-boundaries',
    );
    expect(await localRules(imp('../core/logger'), 'src/main/ssh/ok.ts')).toEqual([]);
    expect(await localRules(imp('../../sites/sites.service'), 'src/main/drivers/linux-ssh/bad.ts')).toContain(
      'local/feature-boundaries',
    );
    expect(await localRules(imp('../../host/ws-host'), 'src/main/drivers/linux-ssh/bad.ts')).toContain(
      'local/feature-boundaries',
    );
    expect(await localRules(imp('../../operations/operation.types'), 'src/main/drivers/linux-ssh/ok.ts')).toEqual([]);
    expect(await localRules(imp('../../ssh/shell-quote'), 'src/main/drivers/linux-ssh/ok.ts')).toEqual([]);
    expect(
      await localRules(imp('../../sites/components/SitesTable'), 'src/renderer/features/shell/components/bad.ts'),
    ).toContain('local/feature-boundaries');
    expect(await localRules(imp('../../sites'), 'src/renderer/features/shell/components/ok.ts')).toEqual([]);
    expect(await localRules(imp('../slice'), 'src/renderer/features/shell/components/ok.ts')).toEqual([]);
  });

  it('fails focused and skipped tests', async () => {
    const code = `import { it } from 'vitest';\nit.${'only'}('x', () => {});\n`;
    expect(await localRules(code, 'tests/unit/foundation/bad.test.ts')).toContain('local/no-focused-or-skipped-tests');
    // Assembled so the fixture itself does not read as a skipped test to a plain grep.
    const pw = `import { test } from '@playwright/test';\ntest.describe.${'skip'}('x', () => {});\n`;
    expect(await localRules(pw, 'tests/e2e/bad.spec.ts')).toContain('local/no-focused-or-skipped-tests');
  });
});
