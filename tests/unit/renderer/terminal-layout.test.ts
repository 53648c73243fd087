import { describe, expect, it } from 'vitest';
import { splitInput } from '../../../src/renderer/features/terminal/input';
import {
  clampRatio,
  paneIds,
  setSplitRatio,
  splitLayout,
  type Layout,
} from '../../../src/renderer/features/terminal/layout';
import { terminalAction } from '../../../src/renderer/features/terminal/shortcuts';

const pane = (paneId: string): Layout => ({ kind: 'pane', paneId });

describe('terminal layout: resizable splits', () => {
  // p1 | (p2 over p3)
  const tree = splitLayout(splitLayout(pane('p1'), 'p1', 'p2', 'right'), 'p2', 'p3', 'down');

  it('sets the ratio of the split a path names, and only that one', () => {
    const root = setSplitRatio(tree, '', 0.3);
    expect(root.kind === 'split' && root.ratio).toBe(0.3);
    expect(root.kind === 'split' && root.b.kind === 'split' && root.b.ratio).toBeUndefined();
    const inner = setSplitRatio(tree, 'b', 0.75);
    expect(inner.kind === 'split' && inner.ratio).toBeUndefined();
    expect(inner.kind === 'split' && inner.b.kind === 'split' && inner.b.ratio).toBe(0.75);
    expect(paneIds(inner)).toEqual(['p1', 'p2', 'p3']);
  });

  it('ignores a path that leads to a pane or nowhere', () => {
    expect(setSplitRatio(tree, 'a', 0.2)).toEqual(tree);
    expect(setSplitRatio(tree, 'bbb', 0.2)).toEqual(tree);
    expect(setSplitRatio(tree, 'x', 0.2)).toEqual(tree);
    expect(setSplitRatio(pane('p9'), '', 0.2)).toEqual(pane('p9'));
  });

  it('keeps every pane at least 10% of its split', () => {
    expect(clampRatio(0)).toBe(0.1);
    expect(clampRatio(-3)).toBe(0.1);
    expect(clampRatio(1)).toBe(0.9);
    expect(clampRatio(0.42)).toBe(0.42);
    expect(clampRatio(Number.NaN)).toBe(0.5);
  });
});

describe('terminal input pieces', () => {
  it('splits a big paste into pieces of at most the size, losing nothing', () => {
    const text = 'x'.repeat(1000);
    const pieces = splitInput(text, 300);
    expect(pieces.map((p) => p.length)).toEqual([300, 300, 300, 100]);
    expect(pieces.join('')).toBe(text);
    expect(splitInput('', 10)).toEqual([]);
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `ab${'😀'.repeat(5)}`; // each emoji is two UTF-16 units
    for (const size of [2, 3, 4, 5]) {
      const pieces = splitInput(text, size);
      expect(pieces.join('')).toBe(text);
      for (const p of pieces) expect(p).toBe(Array.from(p).join('')); // well-formed
      for (const p of pieces) expect(/[\uD800-\uDBFF]$/.test(p)).toBe(false);
    }
  });
});

describe('terminal shortcuts: moving tabs', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
    ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }) as KeyboardEvent;

  it('Ctrl+Shift+PageUp / PageDown move the tab; without Shift they switch tabs', () => {
    expect(terminalAction(key('PageUp', { ctrlKey: true, shiftKey: true }))).toBe('moveTabLeft');
    expect(terminalAction(key('PageDown', { ctrlKey: true, shiftKey: true }))).toBe('moveTabRight');
    expect(terminalAction(key('PageUp', { ctrlKey: true }))).toBe('prevTab');
    expect(terminalAction(key('PageDown', { ctrlKey: true }))).toBe('nextTab');
    expect(terminalAction(key('PageDown'))).toBeNull();
  });
});
