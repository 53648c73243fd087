import type { ITheme } from '@xterm/xterm';

/** Dark palette matching the app's dark theme (styles.css). */
export const DARK_THEME: ITheme = {
  background: '#14161a',
  foreground: '#e6e8ec',
  cursor: '#7aa9ff',
  cursorAccent: '#14161a',
  selectionBackground: '#2f4d80',
  black: '#1c1f25',
  red: '#f06a75',
  green: '#4cc27e',
  yellow: '#e0a040',
  blue: '#5b94f5',
  magenta: '#c48af0',
  cyan: '#4fc1d6',
  white: '#c9ced6',
  brightBlack: '#5b6370',
  brightRed: '#ff8d96',
  brightGreen: '#74dc9f',
  brightYellow: '#f2c070',
  brightBlue: '#8db5ff',
  brightMagenta: '#dcb0ff',
  brightCyan: '#86dcec',
  brightWhite: '#ffffff',
};

/** Light palette matching the app's light theme. */
export const LIGHT_THEME: ITheme = {
  background: '#ffffff',
  foreground: '#1b1f24',
  cursor: '#2f6fde',
  cursorAccent: '#ffffff',
  selectionBackground: '#b8d0fa',
  black: '#1b1f24',
  red: '#c62f3b',
  green: '#1f8a4c',
  yellow: '#8a5a00',
  blue: '#2f6fde',
  magenta: '#8e44c4',
  cyan: '#0f7d8f',
  white: '#d7dbe1',
  brightBlack: '#5b6370',
  brightRed: '#e04450',
  brightGreen: '#27a35c',
  brightYellow: '#a86500',
  brightBlue: '#4d86ea',
  brightMagenta: '#a55fd8',
  brightCyan: '#1795aa',
  brightWhite: '#f6f7f9',
};

/** The app's current light/dark theme, as App's useTheme set it on <html>. */
export function appThemeIsDark(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}
