import { setTheme, THEMES, useTheme, type Theme } from '../lib/theme';

const LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const ICONS: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles System → Light → Dark; System follows the operating system's preference. */
export function ThemeToggle() {
  const theme = useTheme();
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  return (
    <button
      type="button"
      className="app-header__icon-button"
      onClick={() => setTheme(next)}
      title={`Appearance: ${LABELS[theme]} (click for ${LABELS[next]})`}
      aria-label={`Appearance: ${LABELS[theme]}. Switch to ${LABELS[next]}`}
      data-testid="theme-toggle"
      data-theme={theme}
    >
      <span aria-hidden="true">{ICONS[theme]}</span>
    </button>
  );
}
