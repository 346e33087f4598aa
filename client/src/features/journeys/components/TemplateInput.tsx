import { useEffect, useLayoutEffect, useRef } from 'react';
import { TEMPLATE_FIELDS, templateParts } from '../../../../../contracts/journeys';

/** Writes a template into the editable element: text as text, each Liquid tag as a chip that keeps its code. */
function render(element: HTMLElement, template: string, multiline: boolean): void {
  const nodes: Node[] = templateParts(template).map((part) => {
    if (part.kind === 'text') return document.createTextNode(part.text);
    return chip(part.code, part.label, part.kind);
  });
  // A trailing line break only shows (and takes the caret) with something after it.
  if (multiline) nodes.push(Object.assign(document.createElement('br'), { className: 'template-input__end' }));
  element.replaceChildren(...nodes);
}

function chip(code: string, label: string, kind: string): HTMLElement {
  const span = document.createElement('span');
  span.className = `template-chip template-chip--${kind}`;
  span.contentEditable = 'false';
  span.dataset.code = code;
  span.title = code;
  span.textContent = label;
  return span;
}

/** Reads the template back from the element: chips give their code, line breaks and browser-made blocks a newline. */
function serialize(element: HTMLElement): string {
  let text = '';
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent ?? '';
    else if (node instanceof HTMLElement) {
      if (node.dataset.code !== undefined) text += node.dataset.code;
      else if (node.tagName === 'BR') text += node.classList.contains('template-input__end') ? '' : '\n';
      else {
        if ((node.tagName === 'DIV' || node.tagName === 'P') && text !== '' && !text.endsWith('\n')) text += '\n';
        node.childNodes.forEach(walk);
      }
    }
  };
  element.childNodes.forEach(walk);
  return text;
}

/** Puts `node` where the caret is (or at the end), and the caret after it. */
function insertAtCaret(element: HTMLElement, node: Node, saved: Range | null): void {
  const selection = window.getSelection();
  const range = saved && element.contains(saved.startContainer) ? saved : document.createRange();
  if (range !== saved) {
    const end = element.querySelector('.template-input__end');
    if (end) range.setStartBefore(end);
    else range.selectNodeContents(element);
    range.collapse(end === null ? false : true);
  }
  range.deleteContents();
  range.insertNode(node);
  range.setStartAfter(node);
  range.collapse(true);
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/**
 * A template field for the journey editor's simple view: the text as written, with each field shown as a chip
 * with its name ("First name (or “there”)") instead of `{{ customer.first_name | default: 'there' }}`, and a
 * picker that inserts one where the caret is. The code view edits the same string.
 */
export function TemplateInput({ label, value, onChange, multiline = false }: { label: string; value: string; onChange: (value: string) => void; multiline?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = useRef<string | null>(null);
  const caret = useRef<Range | null>(null);

  // Re-rendered only when the value changed from outside (the code view, a reset), so typing keeps the caret.
  useLayoutEffect(() => {
    if (!ref.current || value === shown.current) return;
    render(ref.current, value, multiline);
    shown.current = value;
  }, [value, multiline]);

  /** Keeps where the caret is in the field, for the picker, which takes the focus (and the caret) away from it. */
  const rememberCaret = () => {
    const selection = window.getSelection();
    if (selection?.rangeCount && ref.current?.contains(selection.anchorNode)) caret.current = selection.getRangeAt(0).cloneRange();
  };
  // selectionchange covers the arrow keys and clicks; it comes as a task of its own, though, which the picker's
  // change may overtake under load, so typing and leaving the field also take the caret at once.
  useEffect(() => {
    document.addEventListener('selectionchange', rememberCaret);
    return () => document.removeEventListener('selectionchange', rememberCaret);
  }, []);

  const changed = () => {
    if (!ref.current) return;
    rememberCaret();
    const next = serialize(ref.current);
    shown.current = next;
    onChange(next);
  };
  const insert = (node: Node) => {
    if (!ref.current) return;
    insertAtCaret(ref.current, node, caret.current);
    changed();
  };

  return (
    <div className="template-input">
      <div
        ref={ref}
        role="textbox"
        aria-label={label}
        aria-multiline={multiline}
        contentEditable
        suppressContentEditableWarning
        className={`template-input__text${multiline ? ' template-input__text--multiline' : ''}`}
        onInput={changed}
        onBlur={rememberCaret}
        onKeyDown={(event) => {
          if (event.key !== 'Enter') return;
          event.preventDefault();
          if (multiline) insert(document.createTextNode('\n'));
        }}
        onPaste={(event) => {
          event.preventDefault();
          const text = event.clipboardData.getData('text/plain');
          insert(document.createTextNode(multiline ? text : text.replace(/\s*\n\s*/g, ' ')));
        }}
      />
      <select
        aria-label={`Insert a field into ${label.toLowerCase()}`}
        className="template-input__picker"
        value=""
        onChange={(event) => {
          const field = TEMPLATE_FIELDS.find((candidate) => candidate.path === event.target.value);
          if (!field) return;
          const [part] = templateParts(field.code);
          if (part.kind !== 'text') insert(chip(part.code, part.label, part.kind));
        }}
      >
        <option value="">+ Insert a field…</option>
        {TEMPLATE_FIELDS.map((field) => (
          <option key={field.path} value={field.path}>
            {field.label}
          </option>
        ))}
      </select>
    </div>
  );
}
