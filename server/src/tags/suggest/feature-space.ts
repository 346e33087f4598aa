import { extractTextFeatures, type TextFeatureCounts } from './text-features';

/** A text as a sparse, L2-normalised TF-IDF vector over a feature space's indices. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** The learned vocabulary and its inverse document frequencies, in a JSON-able form. */
export interface FeatureSpaceData {
  terms: string[];
  idf: number[];
}

export interface FeatureSpaceOptions {
  /** A feature seen in fewer training texts than this is noise more often than signal. */
  minDocumentFrequency: number;
  /** Bounds memory and model size on large teams: the most frequent features are kept. */
  maxFeatures: number;
}

/** Builds the vocabulary from training texts: document frequencies, pruning and smoothed IDF (as scikit-learn does). */
export function buildFeatureSpace(documents: TextFeatureCounts[], options: FeatureSpaceOptions): FeatureSpaceData {
  const documentFrequency = new Map<string, number>();
  for (const document of documents) {
    for (const family of [document.words, document.chars]) {
      for (const term of family.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  const kept = [...documentFrequency]
    .filter(([, frequency]) => frequency >= options.minDocumentFrequency)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxFeatures)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return {
    terms: kept.map(([term]) => term),
    idf: kept.map(([, frequency]) => Math.log((1 + documents.length) / (1 + frequency)) + 1),
  };
}

/** A feature space ready to vectorise texts; built once per model and cached by the caller. */
export class FeatureSpace {
  private readonly indexOf: Map<string, number>;

  /** An unknown feature counts as the rarest known one, so that its weight stays in the norm (see vectorizeCounts). */
  private readonly unseenIdf: number;

  constructor(private readonly data: FeatureSpaceData) {
    this.indexOf = new Map(data.terms.map((term, index) => [term, index]));
    this.unseenIdf = data.idf.reduce((max, idf) => Math.max(max, idf), 1);
  }

  get size(): number {
    return this.data.terms.length;
  }

  vectorize(text: string): SparseVector {
    return this.vectorizeCounts(extractTextFeatures(text));
  }

  /**
   * Sublinear TF times IDF, each family normalised on its own so that the many character n-grams do not drown the
   * words. Features outside the vocabulary count in the norm though they get no index: a text made mostly of words
   * never seen in training keeps a short vector and a low score, instead of its few familiar bits being blown up
   * to full length. That is what lets "nothing fits" come out as low confidence.
   */
  vectorizeCounts(counts: TextFeatureCounts): SparseVector {
    const indices: number[] = [];
    const values: number[] = [];
    for (const family of [counts.words, counts.chars]) {
      const familyStart = values.length;
      let squaredNorm = 0;
      for (const [term, count] of family) {
        const index = this.indexOf.get(term);
        const value = (1 + Math.log(count)) * (index === undefined ? this.unseenIdf : this.data.idf[index]);
        squaredNorm += value * value;
        if (index === undefined) continue;
        indices.push(index);
        values.push(value);
      }
      const scale = squaredNorm > 0 ? 1 / Math.sqrt(squaredNorm) : 0;
      for (let position = familyStart; position < values.length; position++) values[position] *= scale;
    }
    const totalNorm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
    return {
      indices: Int32Array.from(indices),
      values: Float32Array.from(values, (value) => (totalNorm > 0 ? value / totalNorm : 0)),
    };
  }
}
