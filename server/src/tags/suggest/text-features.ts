import winkNLP, { type ItsFunction, type WinkMethods } from 'wink-nlp';
import englishModel from 'wink-eng-lite-web-model';

/** Raw counts of the two feature families of one text; each family is weighted and normalised on its own. */
export interface TextFeatureCounts {
  words: Map<string, number>;
  chars: Map<string, number>;
}

const CHAR_GRAM_MIN = 2;
const CHAR_GRAM_MAX = 5;
const SKIPPED_TOKEN_TYPES = new Set(['punctuation', 'tabCRLF', 'spaces', 'emoticon', 'emoji']);

let tokenizer: WinkMethods | undefined;

/** wink-nlp without its POS pipe: tokenising, normalising (contractions expanded) and Porter2 stems are all we need. */
function nlp(): WinkMethods {
  tokenizer ??= winkNLP(englishModel, []);
  return tokenizer;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Word unigrams, stems and stem bigrams capture what a text is about; character n-grams inside word boundaries
 * catch spelling variants, typos and morphology that a stemmer misses in short texts.
 */
export function extractTextFeatures(text: string): TextFeatureCounts {
  const { its } = nlp();
  const tokens = nlp().readDoc(text).tokens();
  const types = tokens.out(its.type);
  const normals = tokens.out(its.normal);
  // wink-nlp's typings declare its.stem with its internal signature; at run time it is a token its-function.
  const stems = tokens.out(its.stem as ItsFunction<string>);

  const words = new Map<string, number>();
  const chars = new Map<string, number>();
  let previousStem: string | undefined;
  for (let index = 0; index < normals.length; index++) {
    if (SKIPPED_TOKEN_TYPES.has(types[index])) continue;
    const normal = normals[index];
    const stem = stems[index].toLowerCase();
    increment(words, `w:${normal}`);
    if (stem !== normal) increment(words, `s:${stem}`);
    if (previousStem !== undefined) increment(words, `b:${previousStem} ${stem}`);
    previousStem = stem;

    const padded = ` ${normal} `;
    for (let size = CHAR_GRAM_MIN; size <= CHAR_GRAM_MAX; size++) {
      for (let start = 0; start + size <= padded.length; start++) increment(chars, `c:${padded.slice(start, start + size)}`);
    }
  }
  return { words, chars };
}
