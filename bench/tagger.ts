/**
 * Tag suggestions measured on CLINC150 (Larson et al., EMNLP 2019): each utterance is a ticket, its intent the tag.
 * Trains on `train` (in-scope only: the learner never sees an out-of-scope example) through the same code path that
 * learns from a team's tickets, then measures top-1 accuracy on `test` (no suggestion counts as wrong) and the share
 * of `oos_test` that gets no suggestion. `--split=val` measures on `val`/`oos_val` instead, for development.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TagSuggester, type TaggedText } from '../server/src/tags/suggest/tag-suggester';

type Utterance = [text: string, intent: string];

const datasetPath = join(__dirname, '..', '..', 'shared', 'datasets', 'clinc150', 'data_full.json');
const split = process.argv.find((argument) => argument.startsWith('--split='))?.slice('--split='.length) ?? 'test';

function percentile(sortedValues: number[], fraction: number): number {
  return sortedValues[Math.min(sortedValues.length - 1, Math.ceil(fraction * sortedValues.length) - 1)];
}

function main(): void {
  const data = JSON.parse(readFileSync(datasetPath, 'utf8')) as Record<string, Utterance[]>;
  const inScope = data[split];
  const outOfScope = data[`oos_${split}`];
  if (!inScope || !outOfScope) throw new Error(`unknown split ${split}`);
  const training: TaggedText[] = data.train.map(([text, intent]) => ({ text, tags: [intent] }));

  const suggester = new TagSuggester();
  const trainStart = performance.now();
  const model = suggester.train(training);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  console.log(`trained on ${training.length} texts, ${model.tags.length} tags in ${trainSeconds.toFixed(1)} s; threshold ${model.threshold.toFixed(3)}`);
  console.log(`model JSON ${(JSON.stringify(model).length / 1e6).toFixed(1)} MB`);

  const latencies: number[] = [];
  const timedSuggest = (text: string) => {
    const start = performance.now();
    const suggestions = suggester.suggest(model, text, { limit: 1 });
    latencies.push(performance.now() - start);
    return suggestions;
  };
  let correct = 0;
  let abstained = 0;
  for (const [text, intent] of inScope) {
    const [top] = timedSuggest(text);
    if (top?.tag === intent) correct++;
    if (!top) abstained++;
  }
  const rejected = outOfScope.filter(([text]) => timedSuggest(text).length === 0).length;
  latencies.sort((a, b) => a - b);

  console.log(`${split}: ${correct}/${inScope.length} right, ${abstained} in-scope without suggestion, ${rejected}/${outOfScope.length} out-of-scope without suggestion`);
  console.log(
    JSON.stringify({
      bench: 'tagger',
      dataset: split === 'test' ? 'clinc150' : `clinc150-${split}`,
      in_scope_accuracy: Number((correct / inScope.length).toFixed(4)),
      oos_recall: Number((rejected / outOfScope.length).toFixed(4)),
      train_s: Number(trainSeconds.toFixed(1)),
      predict_p95_ms: Number(percentile(latencies, 0.95).toFixed(3)),
    }),
  );
}

try {
  main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
