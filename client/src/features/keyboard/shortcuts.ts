/** Every single-key shortcut, as the `?` overlay lists them. */
export const SHORTCUTS = [
  { key: 'j', description: 'Next ticket in the list' },
  { key: 'k', description: 'Previous ticket in the list' },
  { key: 'Enter', description: 'Open the highlighted ticket' },
  { key: 'x', description: 'Select or unselect the highlighted ticket' },
  { key: 'r', description: 'Reply to the customer' },
  { key: 'n', description: 'Write an internal note' },
  { key: 'a', description: 'Assign to me' },
  { key: 'e', description: 'Solve' },
  { key: '/', description: 'Search tickets' },
  { key: '?', description: 'Show these shortcuts' },
  { key: 'Esc', description: 'Close this list, or leave a text field' },
] as const;

export type ShortcutKey = Exclude<(typeof SHORTCUTS)[number]['key'], 'Esc'>;
