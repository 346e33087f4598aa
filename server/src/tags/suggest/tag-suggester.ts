import { buildFeatureSpace, FeatureSpace, type FeatureSpaceData, type SparseVector } from './feature-space';
import { linearScore, trainBinarySvm, type LinearScorer } from './linear-svm';
import { calibrate, fitPlattScaling, type PlattScaling } from './platt-scaling';
import { extractTextFeatures, type TextFeatureCounts } from './text-features';

/**
 * One piece of training signal: a past ticket's text and the tags it ended with (an accepted suggestion is simply one
 * of those tags). `rejectedTags` are suggestions an agent dismissed on this ticket: they are learned as negatives that
 * weigh `feedbackWeight` times an ordinary example. A ticket with no tags teaches "suggest nothing for this".
 */
export interface TaggedText {
  text: string;
  tags: string[];
  rejectedTags?: string[];
}

export interface TrainOptions {
  /** SVM cost C: higher fits the training tickets more tightly. */
  regularization?: number;
  /** How much a rejected suggestion outweighs an ordinary negative example. */
  feedbackWeight?: number;
  /** Cross-validation folds used to calibrate confidences and choose the "no suggestion" threshold (at least 2). */
  folds?: number;
  /**
   * Share of right suggestions (on held-out data) the threshold keeps when the training data has no untagged
   * tickets to learn "nothing fits" from; lower it to suggest less often and more surely.
   */
  keepRightSuggestions?: number;
  minDocumentFrequency?: number;
  maxFeatures?: number;
  /** Seeds shuffling, so that the same data always gives the same model. */
  seed?: number;
}

/** The JSON-able model: store it as it is (e.g. in a jsonb column) and pass it to `suggest` on any instance. */
export interface TagModel {
  version: 1;
  tags: string[];
  featureSpace: FeatureSpaceData;
  /** One sparse linear scorer per tag, aligned with `tags`. */
  scorers: { indices: number[]; weights: number[]; bias: number }[];
  calibration: PlattScaling;
  /** Confidence below which a tag is not suggested, chosen by cross-validation on the training data. */
  threshold: number;
  /** How it did on the team's own tickets it was not trained on (cross-validation); absent on older models or without enough data. */
  quality?: TaggerQuality | null;
}

/** The cross-validated quality of a model, at its threshold. */
export interface TaggerQuality {
  /** Held-out tickets judged. */
  tickets: number;
  /** Share of them it decided right: the right top tag for a tagged ticket, no suggestion for an untagged one. */
  accuracy: number;
  /** Of the tickets it suggested a tag for, the share whose top tag was right. */
  precision: number | null;
  /** Share of held-out tickets it suggested nothing for. */
  abstainRate: number;
}

export interface SuggestOptions {
  /** At most this many suggestions, best first (default 5). */
  limit?: number;
  /** Overrides the model's learned threshold for the best tag; further tags also need at least 0.5. */
  minConfidence?: number;
}

export interface TagSuggestion {
  tag: string;
  /** Calibrated estimate in [0, 1] that the tag is right for the text. */
  confidence: number;
}

const DEFAULTS = {
  regularization: 1,
  feedbackWeight: 5,
  folds: 3,
  keepRightSuggestions: 0.995,
  minDocumentFrequency: 2,
  maxFeatures: 200_000,
  seed: 1,
};
/** Used when the training data is too small to cross-validate: a score of 0 (the SVM's boundary) means 0.5. */
const UNCALIBRATED: PlattScaling = { slope: 2, intercept: 0 };
const DEFAULT_THRESHOLD = 0.5;
const DEFAULT_LIMIT = 5;
/** A second or third tag is offered only when it is more likely right than not, so a ticket is not buried in guesses. */
const ADDITIONAL_TAG_CONFIDENCE = 0.5;
/** Fewer held-out examples than this on either side gives a threshold that is mostly noise. */
const MIN_THRESHOLD_EVIDENCE = 5;
/** Enough to place the threshold's quantile on a few dozen examples. */
const ENOUGH_HELD_OUT_EXAMPLES = 5000;
/** Weights this small change no score visibly; dropping them, and rounding the rest, keeps the stored model small. */
const NEGLIGIBLE_WEIGHT = 0.01;
const WEIGHT_DIGITS = 4;
/** Looser than LIBLINEAR's 0.1: on a 15,000-text benchmark top-1 accuracy did not move and training took a third less. */
const SVM_TOLERANCE = 1;
const SVM_MAX_EPOCHS = 200;
const EMPTY_VECTOR: SparseVector = { indices: new Int32Array(0), values: new Float32Array(0) };
/** As much as ten ordinary negatives: enough to pull every bias below the SVM margin. */
const EMPTY_TEXT_WEIGHT = 10;

interface CompiledModel {
  featureSpace: FeatureSpace;
  /** Postings of feature f are entries entryStart[f] .. entryStart[f + 1] - 1. */
  entryStart: Int32Array;
  entryTag: Int32Array;
  entryWeight: Float32Array;
}

interface PreparedExample {
  features: TextFeatureCounts;
  tags: Set<string>;
  rejectedTags: Set<string>;
}

interface FittedTagger {
  featureSpace: FeatureSpace;
  featureSpaceData: FeatureSpaceData;
  scorers: LinearScorer[];
}

interface HeldOutOutcome {
  /** Raw score of every tag on every held-out example, with whether the example carries that tag. */
  pairs: { score: number; positive: boolean }[];
  /** Best raw score of each held-out tagged example, and whether that best tag is one of its tags. */
  inScope: { topScore: number; correct: boolean }[];
  /** Best raw score of each held-out untagged example: these should get no suggestion. */
  outOfScope: number[];
}

function seededRandom(seed: number): () => number {
  // mulberry32: small, fast and good enough for shuffling.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let position = copy.length - 1; position > 0; position--) {
    const swapWith = Math.floor(random() * (position + 1));
    [copy[position], copy[swapWith]] = [copy[swapWith], copy[position]];
  }
  return copy;
}

function cleanTags(tags: string[] | undefined): Set<string> {
  return new Set((tags ?? []).map((tag) => tag.trim()).filter((tag) => tag.length > 0));
}

function fitTagger(examples: PreparedExample[], tags: string[], settings: typeof DEFAULTS, random: () => number): FittedTagger {
  const featureSpaceData = buildFeatureSpace(
    examples.map((example) => example.features),
    settings,
  );
  const featureSpace = new FeatureSpace(featureSpaceData);
  // The empty text closes the list as a negative of every tag: a text with nothing familiar in it fits no tag.
  const vectors = [...examples.map((example) => featureSpace.vectorizeCounts(example.features)), EMPTY_VECTOR];
  const scorers = tags.map((tag) => {
    const labels = Int8Array.from(vectors, (_, index) => (examples[index]?.tags.has(tag) ? 1 : -1));
    const costs = Float64Array.from(vectors, (_, index) => {
      const example = examples[index];
      if (!example) return settings.regularization * EMPTY_TEXT_WEIGHT;
      return settings.regularization * (example.rejectedTags.has(tag) ? settings.feedbackWeight : 1);
    });
    return trainBinarySvm(
      { vectors, labels, costs, dimension: featureSpace.size },
      { tolerance: SVM_TOLERANCE, maxEpochs: SVM_MAX_EPOCHS, random },
    );
  });
  return { featureSpace, featureSpaceData, scorers };
}

function topScore(scores: number[]): { index: number; score: number } {
  let index = 0;
  for (let candidate = 1; candidate < scores.length; candidate++) if (scores[candidate] > scores[index]) index = candidate;
  return { index, score: scores[index] };
}

/**
 * K-fold cross-validation: held-out examples are scored by a model that never saw them. On a large training set the
 * first folds already give plenty of evidence, and each further fold costs most of a full training.
 */
function crossValidate(examples: PreparedExample[], tags: string[], settings: typeof DEFAULTS, random: () => number) {
  const outcome: HeldOutOutcome = { pairs: [], inScope: [], outOfScope: [] };
  const foldOf = new Int32Array(examples.length);
  shuffled(
    examples.map((_, index) => index),
    random,
  ).forEach((example, position) => (foldOf[example] = position % settings.folds));

  let heldOut = 0;
  for (let fold = 0; fold < settings.folds && heldOut < ENOUGH_HELD_OUT_EXAMPLES; fold++) {
    const fitted = fitTagger(
      examples.filter((_, index) => foldOf[index] !== fold),
      tags,
      settings,
      random,
    );
    examples.forEach((example, index) => {
      if (foldOf[index] !== fold) return;
      heldOut++;
      const vector = fitted.featureSpace.vectorizeCounts(example.features);
      const scores = fitted.scorers.map((scorer) => linearScore(scorer, vector));
      scores.forEach((score, tagIndex) => outcome.pairs.push({ score, positive: example.tags.has(tags[tagIndex]) }));
      const best = topScore(scores);
      if (example.tags.size === 0) outcome.outOfScope.push(best.score);
      else outcome.inScope.push({ topScore: best.score, correct: example.tags.has(tags[best.index]) });
    });
  }
  return outcome;
}

/**
 * The confidence below which a tag is not suggested. When the team's data holds untagged tickets, held-out ones show
 * what "nothing fits" looks like, and the threshold maximises held-out accuracy (a right suggestion, or none for an
 * untagged ticket). Without them, no data says what an unfitting text scores, so the threshold gives up the least
 * confident `1 - keepRightSuggestions` share of held-out right suggestions: texts scoring below those rarely fit.
 */
function chooseThreshold(outcome: HeldOutOutcome, calibration: PlattScaling, keepRightSuggestions: number): number {
  const rightConfidences = outcome.inScope
    .filter((result) => result.correct)
    .map((result) => calibrate(calibration, result.topScore))
    .sort((a, b) => a - b);
  if (rightConfidences.length < MIN_THRESHOLD_EVIDENCE) return DEFAULT_THRESHOLD;
  if (outcome.outOfScope.length < MIN_THRESHOLD_EVIDENCE) {
    return rightConfidences[Math.floor((1 - keepRightSuggestions) * rightConfidences.length)];
  }
  // Sweeping the threshold upwards past each held-out example: a right suggestion is lost, an untagged one is won.
  const crossings = [
    ...outcome.inScope.map((result) => ({ confidence: calibrate(calibration, result.topScore), gain: result.correct ? -1 : 0 })),
    ...outcome.outOfScope.map((score) => ({ confidence: calibrate(calibration, score), gain: 1 })),
  ].sort((a, b) => a.confidence - b.confidence);
  let correctDecisions = rightConfidences.length;
  let bestCorrectDecisions = correctDecisions;
  let bestThreshold = 0;
  for (let position = 0; position < crossings.length; position++) {
    correctDecisions += crossings[position].gain;
    const next = crossings[position + 1]?.confidence ?? 1;
    if (next === crossings[position].confidence) continue; // ties cross together
    if (correctDecisions > bestCorrectDecisions) {
      bestCorrectDecisions = correctDecisions;
      bestThreshold = (crossings[position].confidence + next) / 2;
    }
  }
  return bestThreshold;
}

/** The held-out outcome at the chosen threshold, in the measures the Tags page shows. */
export function taggerQuality(outcome: Pick<HeldOutOutcome, 'inScope' | 'outOfScope'>, calibration: PlattScaling, threshold: number): TaggerQuality | null {
  const tickets = outcome.inScope.length + outcome.outOfScope.length;
  if (tickets === 0) return null;
  const suggested = outcome.inScope.filter((result) => calibrate(calibration, result.topScore) >= threshold);
  const rightSuggestions = suggested.filter((result) => result.correct).length;
  const wronglySuggested = outcome.outOfScope.filter((score) => calibrate(calibration, score) >= threshold).length;
  const suggestions = suggested.length + wronglySuggested;
  return {
    tickets,
    accuracy: (rightSuggestions + outcome.outOfScope.length - wronglySuggested) / tickets,
    precision: suggestions > 0 ? rightSuggestions / suggestions : null,
    abstainRate: (tickets - suggestions) / tickets,
  };
}

function sparsify(scorer: LinearScorer): TagModel['scorers'][number] {
  const indices: number[] = [];
  const weights: number[] = [];
  scorer.weights.forEach((weight, index) => {
    if (Math.abs(weight) < NEGLIGIBLE_WEIGHT) return;
    indices.push(index);
    weights.push(Number(weight.toPrecision(WEIGHT_DIGITS)));
  });
  return { indices, weights, bias: Number(scorer.bias.toPrecision(WEIGHT_DIGITS)) };
}

export class TagSuggester {
  train(examples: TaggedText[], options: TrainOptions = {}): TagModel {
    const settings = { ...DEFAULTS, ...options };
    const random = seededRandom(settings.seed);
    const prepared: PreparedExample[] = examples.map((example) => ({
      features: extractTextFeatures(example.text),
      tags: cleanTags(example.tags),
      rejectedTags: cleanTags(example.rejectedTags),
    }));
    const tags = [...new Set(prepared.flatMap((example) => [...example.tags]))].sort();
    const canCrossValidate = settings.folds >= 2 && prepared.length >= settings.folds && tags.length > 0;
    const outcome = canCrossValidate ? crossValidate(prepared, tags, settings, random) : { pairs: [], inScope: [], outOfScope: [] };
    const calibration = fitPlattScaling(outcome.pairs) ?? UNCALIBRATED;
    const threshold = chooseThreshold(outcome, calibration, settings.keepRightSuggestions);
    const fitted = fitTagger(prepared, tags, settings, random);
    return {
      version: 1,
      tags,
      featureSpace: fitted.featureSpaceData,
      scorers: fitted.scorers.map(sparsify),
      calibration,
      threshold,
      quality: taggerQuality(outcome, calibration, threshold),
    };
  }

  /**
   * Tags for a text, best first, each with its calibrated confidence; empty when no known tag fits well enough (the
   * best tag is under the threshold). Further tags follow when they too are likely, for texts that fit several.
   */
  suggest(model: TagModel, text: string, options: SuggestOptions = {}): TagSuggestion[] {
    const compiled = this.compile(model);
    const vector = compiled.featureSpace.vectorize(text);
    const scores = Float64Array.from(model.scorers, (scorer) => scorer.bias);
    const { indices, values } = vector;
    for (let position = 0; position < indices.length; position++) {
      const feature = indices[position];
      for (let entry = compiled.entryStart[feature]; entry < compiled.entryStart[feature + 1]; entry++) {
        scores[compiled.entryTag[entry]] += compiled.entryWeight[entry] * values[position];
      }
    }
    const minConfidence = options.minConfidence ?? model.threshold;
    const ranked = Array.from(scores, (score, tagIndex) => ({ tag: model.tags[tagIndex], confidence: calibrate(model.calibration, score) }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, options.limit ?? DEFAULT_LIMIT);
    return ranked.filter(
      (suggestion, rank) => suggestion.confidence >= (rank === 0 ? minConfidence : Math.max(minConfidence, ADDITIONAL_TAG_CONFIDENCE)),
    );
  }

  private readonly compiledModels = new WeakMap<TagModel, CompiledModel>();

  /** Turns per-tag weights into per-feature postings once per model object, so scoring touches only the text's features. */
  private compile(model: TagModel): CompiledModel {
    const cached = this.compiledModels.get(model);
    if (cached) return cached;
    const dimension = model.featureSpace.terms.length;
    const entryStart = new Int32Array(dimension + 1);
    for (const scorer of model.scorers) for (const feature of scorer.indices) entryStart[feature + 1]++;
    for (let feature = 0; feature < dimension; feature++) entryStart[feature + 1] += entryStart[feature];
    const fill = entryStart.slice(0, dimension);
    const entryTag = new Int32Array(entryStart[dimension]);
    const entryWeight = new Float32Array(entryStart[dimension]);
    model.scorers.forEach((scorer, tagIndex) => {
      scorer.indices.forEach((feature, position) => {
        entryTag[fill[feature]] = tagIndex;
        entryWeight[fill[feature]] = scorer.weights[position];
        fill[feature]++;
      });
    });
    const compiled = { featureSpace: new FeatureSpace(model.featureSpace), entryStart, entryTag, entryWeight };
    this.compiledModels.set(model, compiled);
    return compiled;
  }
}
