import { TagSuggester, taggerQuality, type TaggedText, type TagModel } from './tag-suggester';

const TOPIC_WORDS: Record<string, string[]> = {
  billing: ['invoice', 'charged', 'refund', 'payment', 'receipt', 'billed', 'overcharge', 'price'],
  shipping: ['parcel', 'delivery', 'courier', 'tracking', 'shipped', 'package', 'arrived', 'dispatch'],
  login: ['password', 'login', 'locked', 'reset', 'username', 'sign-in', 'two-factor', 'authenticate'],
};
const OPENERS = ['hi team,', 'hello,', 'please help:', 'urgent -', 'quick question:', 'good morning,'];
const CLOSERS = ['thanks', 'what should i do?', 'can you check?', 'please advise', 'regards', 'asap please'];

/** Deterministic pick-lists so every run sees the same synthetic tickets. */
function makeTickets(tags: string[], count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const n = index + offset;
    const words = tags.flatMap((tag) => {
      const vocabulary = TOPIC_WORDS[tag];
      return [vocabulary[n % vocabulary.length], vocabulary[(n * 3 + 1) % vocabulary.length]];
    });
    return `${OPENERS[n % OPENERS.length]} my ${words.join(' and ')} issue, ${CLOSERS[(n * 5) % CLOSERS.length]}`;
  });
}

function trainingSet(): TaggedText[] {
  return Object.keys(TOPIC_WORDS).flatMap((tag) => makeTickets([tag], 24, 0).map((text) => ({ text, tags: [tag] })));
}

describe('TagSuggester', () => {
  const suggester = new TagSuggester();
  let model: TagModel;

  beforeAll(() => {
    model = suggester.train(trainingSet());
  });

  it('learns separable tags and suggests the right one for unseen texts', () => {
    for (const tag of Object.keys(TOPIC_WORDS)) {
      for (const text of makeTickets([tag], 5, 100)) {
        expect(suggester.suggest(model, text)[0]?.tag).toBe(tag);
      }
    }
  });

  it('suggests nothing for a text that fits no known tag', () => {
    expect(suggester.suggest(model, 'the quick brown fox jumps over the lazy dog')).toEqual([]);
    expect(suggester.suggest(model, 'Weather forecast for the weekend: sunny with light winds')).toEqual([]);
  });

  it('gives confidences in [0, 1], best first, higher for a clear text than for a vague one', () => {
    const clear = suggester.suggest(model, 'I was charged twice, the invoice shows an overcharge, I need a refund');
    const vague = suggester.suggest(model, 'hello, my issue, please advise', { minConfidence: 0 });
    expect(clear[0].tag).toBe('billing');
    for (const list of [clear, vague]) {
      for (const suggestion of list) expect(suggestion.confidence).toBeGreaterThanOrEqual(0);
      for (const suggestion of list) expect(suggestion.confidence).toBeLessThanOrEqual(1);
      expect(list.map((suggestion) => suggestion.confidence)).toEqual([...list.map((suggestion) => suggestion.confidence)].sort((a, b) => b - a));
    }
    expect(clear[0].confidence).toBeGreaterThan(vague[0].confidence);
  });

  it('measures itself on held-out tickets: accuracy, precision and how often it abstains', () => {
    expect(model.quality?.tickets).toBeGreaterThan(0);
    // The training set's tags are separable: held out, nearly every decision is right.
    expect(model.quality?.accuracy).toBeGreaterThan(0.8);
    expect(model.quality?.abstainRate).toBeGreaterThanOrEqual(0);
    expect(model.quality?.abstainRate).toBeLessThan(0.5);
  });

  it('counts right and wrong decisions at the threshold as a person would', () => {
    const identity = { slope: 1, intercept: 0 };
    // Calibrated confidence = 1 / (1 + e^−score): score 2 → 0.88, score −2 → 0.12.
    const quality = taggerQuality(
      { inScope: [{ topScore: 2, correct: true }, { topScore: 2, correct: false }, { topScore: -2, correct: true }], outOfScope: [-2, 2] },
      identity,
      0.5,
    );
    // Suggested: two tagged (one right) and one untagged (wrong); abstained: one tagged, one untagged (right).
    expect(quality).toEqual({ tickets: 5, accuracy: 2 / 5, precision: 1 / 3, abstainRate: 2 / 5 });
  });

  it('survives a JSON round trip, as it will through a database column', () => {
    const restored = JSON.parse(JSON.stringify(model)) as TagModel;
    const text = 'where is my parcel? the tracking says dispatch but nothing arrived';
    expect(suggester.suggest(restored, text)).toEqual(suggester.suggest(model, text));
  });

  it('learns from a rejected suggestion on the next training', () => {
    const text = 'please reset the price on my subscription';
    const before = suggester.suggest(model, text, { minConfidence: 0 });
    const wrongTag = before[0].tag;
    const feedback: TaggedText = { text, tags: [], rejectedTags: [wrongTag] };
    const retrained = suggester.train([...trainingSet(), feedback]);
    const after = suggester.suggest(retrained, text, { minConfidence: 0 });
    const confidenceOf = (list: typeof before) => list.find((suggestion) => suggestion.tag === wrongTag)?.confidence ?? 0;
    expect(confidenceOf(after)).toBeLessThan(confidenceOf(before));
    expect(suggester.suggest(retrained, text).map((suggestion) => suggestion.tag)).not.toContain(wrongTag);
  });

  it('learns tickets with several tags and suggests several tags for a text that fits them', () => {
    const multiLabel: TaggedText[] = [
      ...trainingSet(),
      ...makeTickets(['billing', 'shipping'], 24, 50).map((text) => ({ text, tags: ['billing', 'shipping'] })),
    ];
    const multiModel = suggester.train(multiLabel);
    const suggested = suggester.suggest(multiModel, 'the refund for the package that never arrived was not in my receipt, and the courier lost the parcel');
    expect(suggested.map((suggestion) => suggestion.tag).sort()).toEqual(['billing', 'shipping']);
    expect(suggester.suggest(multiModel, makeTickets(['login'], 1, 200)[0]).map((suggestion) => suggestion.tag)).toEqual(['login']);
  });

  it('suggests nothing from a model trained on no tagged tickets', () => {
    const empty = suggester.train([{ text: 'hello there', tags: [] }]);
    expect(suggester.suggest(empty, 'hello there')).toEqual([]);
  });

  it('trains the same model from the same data', () => {
    expect(suggester.train(trainingSet())).toEqual(model);
  });
});
