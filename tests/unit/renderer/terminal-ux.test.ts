import { describe, expect, it } from 'vitest';
import { sectionShortcutIndex } from '../../../src/renderer/lib/section-shortcut';
import { isLayout, mapPanes, splitLayout, type Layout } from '../../../src/renderer/features/terminal/layout';
import { layoutToSave } from '../../../src/renderer/features/terminal/saved-layout';
import { searchStateText } from '../../../src/renderer/features/terminal/search-state';
import { uniqueTabTitle, type TermPane } from '../../../src/renderer/features/terminal/slice';

const pane = (paneId: string): Layout => ({ kind: 'pane', paneId });
const key = (code: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}) => ({
  code,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe('section chord', () => {
  it('is Ctrl+Shift+digit (by physical key), and never a key a terminal sends', () => {
    expect(sectionShortcutIndex(key('Digit4', { ctrlKey: true, shiftKey: true }))).toBe(3);
    expect(sectionShortcutIndex(key('Numpad9', { ctrlKey: true, shiftKey: true }))).toBe(8);
    expect(sectionShortcutIndex(key('Digit4', { ctrlKey: true }))).toBeNull(); // ^\ for the shell
    expect(sectionShortcutIndex(key('Digit1', { altKey: true }))).toBeNull(); // readline digit-argument
    expect(sectionShortcutIndex(key('Digit0', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(sectionShortcutIndex(key('KeyT', { ctrlKey: true, shiftKey: true }))).toBeNull();
  });
});

describe('tab names', () => {
  it('numbers a duplicate with the lowest free number, from the base name', () => {
    expect(uniqueTabTitle('web', [])).toBe('web');
    expect(uniqueTabTitle('web', ['web'])).toBe('web (2)');
    expect(uniqueTabTitle('web', ['web', 'web (2)', 'web (3)'])).toBe('web (4)');
    expect(uniqueTabTitle('web', ['web', 'web (3)'])).toBe('web (2)');
    expect(uniqueTabTitle('web (2)', ['web', 'web (2)'])).toBe('web (3)');
    expect(uniqueTabTitle('  ', [])).toBe('terminal');
    expect(uniqueTabTitle('x'.repeat(60), ['x'.repeat(60)]).length).toBeLessThanOrEqual(60);
  });
});

describe('saved layout', () => {
  const tree = splitLayout(splitLayout(pane('p1'), 'p1', 'p2', 'right'), 'p2', 'p3', 'down');
  const live = (id: string, sessionId: string | null): TermPane => ({
    id,
    serverId: 'srv',
    sessionId,
    status: sessionId ? { kind: 'connected' } : { kind: 'opening' },
  });

  it('keeps the tree with session ids as leaves and drops panes that have no session', () => {
    const saved = layoutToSave({
      termTabs: [
        { id: 't1', title: 'pair', layout: tree, focusedPaneId: 'p3' },
        { id: 't2', title: 'empty', layout: pane('p4'), focusedPaneId: 'p4' },
      ],
      termPanes: { p1: live('p1', 's1'), p2: live('p2', null), p3: live('p3', 's3'), p4: live('p4', null) },
      activeTermTabId: 't1',
    });
    expect(saved).toEqual([
      {
        title: 'pair',
        layout: { kind: 'split', dir: 'row', a: pane('s1'), b: pane('s3') },
        focusedSessionId: 's3',
        active: true,
      },
    ]);
  });

  it('maps leaves and accepts only well-formed trees back', () => {
    expect(mapPanes(tree, (id) => id.toUpperCase())).toEqual(
      splitLayout(splitLayout(pane('P1'), 'P1', 'P2', 'right'), 'P2', 'P3', 'down'),
    );
    expect(mapPanes(tree, () => null)).toBeNull();
    expect(isLayout(tree)).toBe(true);
    expect(isLayout({ kind: 'split', dir: 'row', a: pane('x') })).toBe(false);
    expect(isLayout({ kind: 'pane', paneId: 7 })).toBe(false);
    expect(
      isLayout(
        JSON.parse(
          '{"kind":"split","dir":"diagonal","a":{"kind":"pane","paneId":"a"},"b":{"kind":"pane","paneId":"b"}}',
        ),
      ),
    ).toBe(false);
  });
});

describe('search count', () => {
  it('says where the active match is among all, or that there is none', () => {
    expect(searchStateText('', null, null)).toBe('');
    expect(searchStateText('x', true, { index: 2, count: 12 })).toBe('3 of 12');
    expect(searchStateText('x', true, { index: -1, count: 1500 })).toBe('1500 matches');
    expect(searchStateText('x', false, { index: -1, count: 0 })).toBe('No match');
  });
});
