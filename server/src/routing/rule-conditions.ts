import { RE2JS } from 're2js';
import type { NumberOperator, RuleCondition, TextOperator } from '../../../contracts/automation';
import type { SubscriptionStatus, TicketPriority } from '../../../contracts/domain';

/** What conditions are tested against: the ticket now, and the message that triggered the evaluation. */
export interface RuleFacts {
  mailboxId: string | null;
  fromAddress: string | null;
  recipients: string[];
  subject: string;
  body: string;
  customer: { subscriptionStatus: SubscriptionStatus; currentCycle: number | null; plan: string | null } | null;
  tags: string[];
  priority: TicketPriority;
  /** Whether a business calendar is open now; false for an unknown calendar. */
  isOpen(calendarId: string): boolean;
}

/** Long bodies are tested on their first part; RE2 is linear, this bounds the constant. */
const MAX_TEXT = 100_000;
const PATTERN_CACHE_LIMIT = 500;
const patterns = new Map<string, RE2JS>();

/**
 * Compiles a pattern with RE2 semantics (no backreferences or lookaround), whose matching time is linear
 * in the text, so no pattern can hang the server. Throws a readable error for invalid syntax.
 */
export function compilePattern(source: string): RE2JS {
  let compiled = patterns.get(source);
  if (!compiled) {
    compiled = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    if (patterns.size >= PATTERN_CACHE_LIMIT) patterns.clear();
    patterns.set(source, compiled);
  }
  return compiled;
}

/** Why a pattern is not valid RE2, or null when it is. */
export function patternProblem(source: string): string | null {
  try {
    compilePattern(source);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function testText(operator: TextOperator, values: (string | null)[], expected: string): boolean {
  const negated = operator.startsWith('not_');
  const wanted = expected.toLowerCase();
  const test = (value: string): boolean => {
    const text = value.slice(0, MAX_TEXT);
    if (operator === 'equals' || operator === 'not_equals') return text.toLowerCase() === wanted;
    if (operator === 'contains' || operator === 'not_contains') return text.toLowerCase().includes(wanted);
    return compilePattern(expected).matcher(text).find();
  };
  const any = values.some((value) => value !== null && test(value));
  return negated ? !any : any;
}

function testNumber(operator: NumberOperator, value: number | null, expected: number): boolean {
  if (value === null) return false;
  switch (operator) {
    case 'eq':
      return value === expected;
    case 'neq':
      return value !== expected;
    case 'lt':
      return value < expected;
    case 'lte':
      return value <= expected;
    case 'gt':
      return value > expected;
    case 'gte':
      return value >= expected;
  }
}

function inSet<T>(operator: 'in' | 'not_in', value: T, set: readonly T[]): boolean {
  return set.includes(value) === (operator === 'in');
}

function textValues(condition: Extract<RuleCondition, { operator: TextOperator }>, facts: RuleFacts): (string | null)[] {
  switch (condition.field) {
    case 'from_address':
      return [facts.fromAddress];
    case 'from_domain':
      return [facts.fromAddress?.split('@').pop() ?? null];
    case 'recipients':
      return facts.recipients;
    case 'subject':
      return [facts.subject];
    case 'body':
      return [facts.body];
    case 'customer_tier':
      return [facts.customer?.plan ?? null];
  }
}

export function conditionHolds(condition: RuleCondition, facts: RuleFacts): boolean {
  switch (condition.field) {
    case 'mailbox':
      return inSet(condition.operator, facts.mailboxId ?? '', condition.value);
    case 'customer_subscription_status':
      return inSet(condition.operator, facts.customer?.subscriptionStatus ?? 'none', condition.value);
    case 'customer_cycle':
      return testNumber(condition.operator, facts.customer?.currentCycle ?? null, condition.value);
    case 'priority':
      return inSet(condition.operator, facts.priority, condition.value);
    case 'tags':
      if (condition.operator === 'has_all') return condition.value.every((tag) => facts.tags.includes(tag));
      return condition.value.some((tag) => facts.tags.includes(tag)) === (condition.operator === 'has_any');
    case 'business_hours':
      return facts.isOpen(condition.value) === (condition.operator === 'inside');
    default:
      return testText(condition.operator, textValues(condition, facts), condition.value);
  }
}

/** A rule without conditions holds for every ticket (a catch-all). */
export function conditionsHold(match: 'all' | 'any', conditions: RuleCondition[], facts: RuleFacts): boolean {
  if (conditions.length === 0) return true;
  return match === 'all' ? conditions.every((condition) => conditionHolds(condition, facts)) : conditions.some((condition) => conditionHolds(condition, facts));
}
