// Local ESLint rules (VS Code's 'local/code-layering' idea): layering is enforced by lint, not by memory.
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Which layer a file belongs to, by its path under src/. */
function layerOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  if (rel.startsWith('src/shared/')) return 'shared';
  if (rel.startsWith('src/main/electron/')) return 'electron';
  if (rel.startsWith('src/main/')) return 'main';
  if (rel.startsWith('src/preload/')) return 'preload';
  if (rel.startsWith('src/renderer/')) return 'renderer';
  return null;
}

/** What each layer may import from the project's own layers. */
const ALLOWED = {
  shared: ['shared'],
  main: ['shared', 'main'],
  electron: ['shared', 'main', 'electron'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
};

const NODE_BUILTIN = /^node:/;

const codeLayering = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Keeps src/shared, src/main, src/main/electron, src/preload and src/renderer layered (DESIGN.md rule 1).',
    },
    messages: {
      electron:
        "Only src/main/electron and src/preload may import 'electron' (DESIGN.md rule 1): {{layer}} code must run in plain Node and in tests.",
      layer: 'src/{{layer}} may not import from src/{{target}} (DESIGN.md rule 1).',
      node: 'src/{{layer}} must not depend on Node built-ins ({{source}}): it runs in the sandboxed renderer or is shared with it.',
      thirdParty: "src/shared may import only 'zod' (it is the contract, loaded by every layer); found '{{source}}'.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    if (!layer) return {};
    function check(node, source) {
      if (typeof source !== 'string') return;
      const isTypeOnly = node.importKind === 'type' || node.exportKind === 'type';
      if (source === 'electron' || source.startsWith('electron/')) {
        if (layer === 'electron' || layer === 'preload' || isTypeOnly) return;
        context.report({ node, messageId: 'electron', data: { layer } });
        return;
      }
      if (source.startsWith('.')) {
        const target = layerOf(path.resolve(path.dirname(file), source));
        if (target && !ALLOWED[layer].includes(target))
          context.report({ node, messageId: 'layer', data: { layer, target } });
        return;
      }
      if ((layer === 'shared' || layer === 'renderer' || layer === 'preload') && NODE_BUILTIN.test(source)) {
        context.report({ node, messageId: 'node', data: { layer, source } });
        return;
      }
      if (layer === 'shared' && !isTypeOnly && source !== 'zod') {
        context.report({ node, messageId: 'thirdParty', data: { source } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/** src/main folders the SSH library and the drivers must stay independent of (issue 9, "layering inside src/main"). */
const SSH_MAY_IMPORT = ['ssh', 'core'];
const DRIVERS_MAY_IMPORT = ['drivers', 'ssh', 'core'];

function mainFolder(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  const m = /^src\/main\/([^/]+)\//.exec(rel);
  return m ? m[1] : null;
}

function rendererFeature(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  const m = /^src\/renderer\/features\/([^/]+)\/(.*)$/.exec(rel);
  return m ? { name: m[1], rest: m[2] } : null;
}

const featureBoundaries = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Inside src/main the SSH library imports no vault/inventory/feature code and drivers import no services or transports; renderer features import each other only through their index.ts.',
    },
    messages: {
      ssh: 'src/main/ssh is the SSH library: it may not import src/main/{{target}} (it knows no vault, inventory or features).',
      drivers:
        'Drivers return data and plans: src/main/drivers may not import src/main/{{target}} (services, stores and transports stay outside).',
      feature: "Renderer feature '{{from}}' may import feature '{{to}}' only through its index.ts, not '{{source}}'.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = mainFolder(file);
    const feature = rendererFeature(file);
    if (!from && !feature) return {};
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const resolved = path.resolve(path.dirname(file), source);
      if (from === 'ssh' || from === 'drivers') {
        const target = mainFolder(`${resolved}.ts`);
        if (!target) return;
        const allowed = from === 'ssh' ? SSH_MAY_IMPORT : DRIVERS_MAY_IMPORT;
        // Shapes a driver hands back (plans, metrics samples) live beside their feature: the type files only.
        const typesOnly =
          from === 'drivers' &&
          ((target === 'operations' && /operation\.types$/.test(resolved)) ||
            (target === 'metrics' && /metrics\.types$/.test(resolved)));
        if (!allowed.includes(target) && !typesOnly) context.report({ node, messageId: from, data: { target } });
        return;
      }
      if (feature) {
        const to = rendererFeature(`${resolved}.ts`);
        if (!to || to.name === feature.name) return;
        if (to.rest === 'index.ts' || to.rest === '.ts' || to.rest === 'index.ts.ts') return;
        context.report({ node, messageId: 'feature', data: { from: feature.name, to: to.name, source } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

const TEST_FNS = new Set(['it', 'test', 'describe', 'suite', 'bench']);

const noFocusedOrSkippedTests = {
  meta: {
    type: 'problem',
    docs: { description: 'No focused or skipped tests in main (DESIGN.md rule 9), for vitest and Playwright alike.' },
    messages: { focused: '{{name}}.{{mod}}() left in: every test runs in main.' },
    schema: [],
  },
  create(context) {
    return {
      CallExpression(node) {
        let callee = node.callee;
        // test.describe.only(...) / test.only(...) / it.skip(...) / describe.skip(...) / test.fixme(...)
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        const mod = callee.property.name;
        if (!['only', 'skip', 'fixme', 'todo'].includes(mod)) return;
        let obj = callee.object;
        while (obj.type === 'MemberExpression') obj = obj.object;
        if (obj.type === 'Identifier' && TEST_FNS.has(obj.name)) {
          context.report({ node, messageId: 'focused', data: { name: obj.name, mod } });
        }
      },
      Identifier(node) {
        if (
          ['xit', 'xdescribe', 'xtest', 'fit', 'fdescribe'].includes(node.name) &&
          node.parent.type === 'CallExpression' &&
          node.parent.callee === node
        ) {
          context.report({ node, messageId: 'focused', data: { name: node.name, mod: 'call' } });
        }
      },
    };
  },
};

export default {
  meta: { name: 'paneldeck-local' },
  rules: {
    'code-layering': codeLayering,
    'feature-boundaries': featureBoundaries,
    'no-focused-or-skipped-tests': noFocusedOrSkippedTests,
  },
};
