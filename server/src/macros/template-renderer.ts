import { Liquid, type Template } from 'liquidjs';
import { InvalidFieldError } from '../common/errors';

/** Template values by top-level name: ticket, customer, agent, mailbox. */
export type TemplateVariables = Record<string, Record<string, unknown> | null>;

export interface RenderedTemplate {
  text: string;
  /** Variables that had no value (they render empty) and render failures, in words for the agent. */
  warnings: string[];
}

/** Templates are written by leads but rendered for every ticket: no file access, bounded time and memory. */
const NO_FILES = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: () => Promise.reject(new Error('templates cannot include files')),
  readFileSync: () => {
    throw new Error('templates cannot include files');
  },
  resolve: (_root: string, file: string) => file,
};

const engine = new Liquid({
  fs: NO_FILES,
  root: [],
  relativeReference: false,
  ownPropertyOnly: true,
  parseLimit: 200_000,
  renderLimit: 500,
  memoryLimit: 10_000_000,
});

const POSITION = /,? line:\d+, col:\d+/;

/** Parses a template, or names the field, line and reason it does not parse. */
export function parseTemplate(source: string, field: string): Template[] {
  try {
    return engine.parse(source);
  } catch (error) {
    const { message, line } = describeLiquidError(error);
    throw new InvalidFieldError(field, line ? `line ${line}: ${message}` : message);
  }
}

function describeLiquidError(error: unknown): { message: string; line: number | null } {
  const text = error instanceof Error ? error.message : String(error);
  const position = /line:(\d+)/.exec(text);
  return { message: text.split('\n')[0].replace(POSITION, ''), line: position ? Number(position[1]) : null };
}

function lookup(variables: TemplateVariables, path: (string | number)[]): unknown {
  let value: unknown = variables;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * Renders a template that was validated on save. A variable without a value renders empty and is named in
 * the warnings; a failure while rendering yields the text unrendered with a warning, never an exception,
 * so the composer always gets something to show.
 */
export function renderTemplate(source: string, variables: TemplateVariables): RenderedTemplate {
  let templates: Template[];
  try {
    templates = engine.parse(source);
  } catch (error) {
    return { text: source, warnings: [`The template does not parse: ${describeLiquidError(error).message}`] };
  }
  const paths = engine.globalVariableSegmentsSync(templates).filter((path): path is (string | number)[] => path.every((segment) => typeof segment !== 'object'));
  const missing = [...new Set(paths.filter((path) => isEmpty(lookup(variables, path))).map((path) => path.join('.')))];
  const warnings = missing.map((name) => `{{ ${name} }} has no value for this ticket and renders empty`);
  try {
    const text: unknown = engine.renderSync(templates, variables);
    return { text: String(text), warnings };
  } catch (error) {
    return { text: source, warnings: [...warnings, `The template could not be rendered: ${describeLiquidError(error).message}`] };
  }
}
