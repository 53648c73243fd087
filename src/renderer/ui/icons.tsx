/** Small stroke icons drawn inline, so they render the same on every platform (no emoji font needed). */
export function Svg({ children, size = 16 }: { children: React.ReactNode; size?: number }): React.JSX.Element {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** A closed padlock. */
export function LockIcon({ size }: { size?: number }): React.JSX.Element {
  return (
    <Svg size={size}>
      <rect x="4" y="11" width="16" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </Svg>
  );
}

/** An open padlock. */
export function UnlockIcon({ size }: { size?: number }): React.JSX.Element {
  return (
    <Svg size={size}>
      <rect x="4" y="11" width="16" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 7.8-1.2" />
    </Svg>
  );
}

/** A shield, for the vault. */
export function ShieldIcon({ size }: { size?: number }): React.JSX.Element {
  return (
    <Svg size={size}>
      <path d="M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z" />
      <path d="M9 12l2 2 4-4" />
    </Svg>
  );
}
