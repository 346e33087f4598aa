import { matchKeywordRules } from './keyword-match';

describe('matchKeywordRules', () => {
  const rules = [
    { tagId: 'billing', keywords: ['refund', 'double charge'] },
    { tagId: 'shipping', keywords: ['parcel'] },
  ];

  it('matches whole words and phrases, whatever the case and spacing', () => {
    expect(matchKeywordRules(rules, 'I want a REFUND now')).toEqual(['billing']);
    expect(matchKeywordRules(rules, 'a double\n charge on my card, and my parcel is late')).toEqual(['billing', 'shipping']);
  });

  it('does not match inside longer words', () => {
    expect(matchKeywordRules(rules, 'it was refunded; the parcels came')).toEqual([]);
  });

  it('treats regular-expression characters in keywords literally', () => {
    expect(matchKeywordRules([{ tagId: 'odd', keywords: ['c++ (beta)'] }], 'the c++ (beta) build')).toEqual(['odd']);
    expect(matchKeywordRules([{ tagId: 'odd', keywords: ['a.b'] }], 'axb')).toEqual([]);
  });
});
