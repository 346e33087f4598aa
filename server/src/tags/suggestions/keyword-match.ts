/** A keyword rule in the form the matcher needs. */
export interface KeywordRuleSpec {
  tagId: string;
  keywords: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The tags whose rules match a text: a keyword matches as a whole word or phrase, case-insensitively, with any run
 * of spaces between a phrase's words ("refund" does not match "refunded", "double charge" matches "double  charge").
 */
export function matchKeywordRules(rules: KeywordRuleSpec[], text: string): string[] {
  const matched = new Set<string>();
  for (const rule of rules) {
    if (matched.has(rule.tagId)) continue;
    const alternatives = rule.keywords.map((keyword) => keyword.trim().split(/\s+/).map(escapeRegExp).join('\\s+'));
    if (new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu').test(text)) matched.add(rule.tagId);
  }
  return [...matched];
}
