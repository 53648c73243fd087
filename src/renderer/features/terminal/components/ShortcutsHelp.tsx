import { Dialog } from '../../../ui/Dialog';
import { sectionShortcutLabel } from '../../../lib/section-shortcut';
import { SHORTCUTS } from '../shortcuts';

/** The keyboard shortcuts of the Terminal section (Ctrl+Shift+? or the "?" button). */
export function ShortcutsHelp({ onClose }: { onClose: () => void }): React.JSX.Element {
  return (
    <Dialog title="Terminal shortcuts" onClose={onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.label}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>{sectionShortcutLabel('1…9')}</kbd>
            </td>
            <td>Go to the section with that number in the sidebar (Ctrl+digits stay with the terminal)</td>
          </tr>
          <tr>
            <td>
              <kbd>Ctrl+Shift+V</kbd>
            </td>
            <td>Paste (bracketed when the shell asks for it)</td>
          </tr>
          <tr>
            <td>Select text</td>
            <td>Copies it (Settings: copy on select)</td>
          </tr>
          <tr>
            <td>
              <kbd>Ctrl</kbd>+click a link
            </td>
            <td>Opens it in the browser (in the desktop app: copies it)</td>
          </tr>
          <tr>
            <td>
              <kbd>Ctrl+L</kbd>
            </td>
            <td>Inside a terminal, clears the screen (the shell gets it; lock the vault from the sidebar)</td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
