/** Maps a raw linear score to a probability: 1 / (1 + exp(-(slope * score + intercept))). */
export interface PlattScaling {
  slope: number;
  intercept: number;
}

export function calibrate(scaling: PlattScaling, score: number): number {
  return 1 / (1 + Math.exp(-(scaling.slope * score + scaling.intercept)));
}

const MAX_ITERATIONS = 100;
const MIN_STEP = 1e-10;
const GRADIENT_TOLERANCE = 1e-5;
/**
 * A weak Gaussian prior pulling the intercept towards 0, i.e. probability 0.5 at the SVM's own boundary. Large
 * samples outweigh it; on a small, cleanly separated one it keeps the fit from putting 0.5 anywhere in the gap,
 * where a text with no familiar words would land.
 */
const INTERCEPT_PRIOR = 1;

/**
 * Platt scaling fitted by Newton's method with backtracking (Lin, Lin and Weng, "A note on Platt's probabilistic
 * outputs for support vector machines", 2007), on held-out scores so the probabilities are honest. Targets are
 * smoothed as Platt proposed, so a perfectly separated sample does not push the slope to infinity.
 * Returns undefined when the scores hold no positive or no negative.
 */
export function fitPlattScaling(samples: { score: number; positive: boolean }[]): PlattScaling | undefined {
  const positives = samples.filter((sample) => sample.positive).length;
  const negatives = samples.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const positiveTarget = (positives + 1) / (positives + 2);
  const negativeTarget = 1 / (negatives + 2);
  const scores = Float64Array.from(samples, (sample) => sample.score);
  const targets = Float64Array.from(samples, (sample) => (sample.positive ? positiveTarget : negativeTarget));

  // Parameterised as p = 1 / (1 + exp(a * score + b)), the form of the paper's stable loss.
  let a = 0;
  let b = 0;
  const loss = (slopeA: number, interceptB: number) => {
    let total = 0.5 * INTERCEPT_PRIOR * interceptB * interceptB;
    for (let index = 0; index < scores.length; index++) {
      const margin = slopeA * scores[index] + interceptB;
      total += margin >= 0 ? targets[index] * margin + Math.log1p(Math.exp(-margin)) : (targets[index] - 1) * margin + Math.log1p(Math.exp(margin));
    }
    return total;
  };
  let currentLoss = loss(a, b);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // Hessian starts from a tiny ridge so that it stays invertible.
    let h11 = 1e-12;
    let h22 = 1e-12 + INTERCEPT_PRIOR;
    let h21 = 0;
    let g1 = 0;
    let g2 = INTERCEPT_PRIOR * b;
    for (let index = 0; index < scores.length; index++) {
      const margin = a * scores[index] + b;
      const p = margin >= 0 ? Math.exp(-margin) / (1 + Math.exp(-margin)) : 1 / (1 + Math.exp(margin));
      const q = 1 - p;
      const curvature = p * q;
      h11 += scores[index] * scores[index] * curvature;
      h22 += curvature;
      h21 += scores[index] * curvature;
      const difference = targets[index] - p;
      g1 += scores[index] * difference;
      g2 += difference;
    }
    if (Math.abs(g1) < GRADIENT_TOLERANCE && Math.abs(g2) < GRADIENT_TOLERANCE) break;
    const determinant = h11 * h22 - h21 * h21;
    const stepA = -(h22 * g1 - h21 * g2) / determinant;
    const stepB = -(-h21 * g1 + h11 * g2) / determinant;
    const descent = g1 * stepA + g2 * stepB;
    let stepSize = 1;
    while (stepSize >= MIN_STEP) {
      const nextLoss = loss(a + stepSize * stepA, b + stepSize * stepB);
      if (nextLoss < currentLoss + 1e-4 * stepSize * descent) {
        a += stepSize * stepA;
        b += stepSize * stepB;
        currentLoss = nextLoss;
        break;
      }
      stepSize /= 2;
    }
    if (stepSize < MIN_STEP) break;
  }
  return { slope: -a, intercept: -b };
}
