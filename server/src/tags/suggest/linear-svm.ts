import type { SparseVector } from './feature-space';

export interface BinarySvmProblem {
  vectors: SparseVector[];
  /** +1 or -1 per vector. */
  labels: Int8Array;
  /** Misclassification cost per vector (C scaled by how much that example counts). */
  costs: Float64Array;
  dimension: number;
}

export interface BinarySvmOptions {
  /** Stop when the projected-gradient spread falls below this (LIBLINEAR's default is 0.1). */
  tolerance: number;
  maxEpochs: number;
  random: () => number;
}

export interface LinearScorer {
  weights: Float64Array;
  bias: number;
}

/** The bias is learned as the weight of a constant feature, as LIBLINEAR does, so it is regularised too. */
const BIAS_FEATURE = 1;

function dot(weights: Float64Array, bias: number, vector: SparseVector): number {
  let sum = bias * BIAS_FEATURE;
  const { indices, values } = vector;
  for (let position = 0; position < indices.length; position++) sum += weights[indices[position]] * values[position];
  return sum;
}

export function linearScore(scorer: LinearScorer, vector: SparseVector): number {
  return dot(scorer.weights, scorer.bias, vector);
}

/**
 * L2-regularised squared-hinge linear SVM solved by dual coordinate descent with shrinking (Hsieh et al., ICML 2008,
 * the algorithm behind LIBLINEAR): fast and exact on sparse text, and each example's cost can differ, which is how
 * agent feedback outweighs ordinary examples.
 */
export function trainBinarySvm(problem: BinarySvmProblem, options: BinarySvmOptions): LinearScorer {
  const { vectors, labels, costs } = problem;
  const count = vectors.length;
  const weights = new Float64Array(problem.dimension);
  let bias = 0;
  const alphas = new Float64Array(count);
  const diagonal = new Float64Array(count);
  const curvature = new Float64Array(count);
  for (let example = 0; example < count; example++) {
    diagonal[example] = 0.5 / costs[example];
    let squaredNorm = BIAS_FEATURE * BIAS_FEATURE;
    for (const value of vectors[example].values) squaredNorm += value * value;
    curvature[example] = squaredNorm + diagonal[example];
  }

  const order = Int32Array.from({ length: count }, (_, example) => example);
  let activeCount = count;
  let previousMax = Infinity;
  for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
    for (let position = activeCount - 1; position > 0; position--) {
      const swapWith = Math.floor(options.random() * (position + 1));
      [order[position], order[swapWith]] = [order[swapWith], order[position]];
    }
    let currentMax = -Infinity;
    let currentMin = Infinity;
    for (let position = 0; position < activeCount; position++) {
      const example = order[position];
      const label = labels[example];
      const vector = vectors[example];
      const gradient = label * dot(weights, bias, vector) - 1 + alphas[example] * diagonal[example];
      let projected = gradient;
      if (alphas[example] === 0) {
        if (gradient > previousMax) {
          // Shrinking: a bound example far on the right side will stay there; skip it until the final check.
          activeCount--;
          [order[position], order[activeCount]] = [order[activeCount], order[position]];
          position--;
          continue;
        }
        projected = Math.min(gradient, 0);
      }
      currentMax = Math.max(currentMax, projected);
      currentMin = Math.min(currentMin, projected);
      if (Math.abs(projected) < 1e-12) continue;
      const previousAlpha = alphas[example];
      alphas[example] = Math.max(previousAlpha - gradient / curvature[example], 0);
      const step = (alphas[example] - previousAlpha) * label;
      const { indices, values } = vector;
      for (let feature = 0; feature < indices.length; feature++) weights[indices[feature]] += step * values[feature];
      bias += step * BIAS_FEATURE;
    }

    if (currentMax - currentMin <= options.tolerance) {
      if (activeCount === count) break;
      // Converged on the active set: verify on every example before stopping.
      activeCount = count;
      previousMax = Infinity;
      continue;
    }
    previousMax = currentMax <= 0 ? Infinity : currentMax;
  }
  return { weights, bias };
}
