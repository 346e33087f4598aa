/** `npm run bench -- NAME [args]` runs bench/NAME.ts; each benchmark prints a JSON summary as its last line. */
import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
const available = readdirSync(__dirname)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -3));
if (!name || !existsSync(join(__dirname, `${name}.ts`))) {
  console.error(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}
process.argv.splice(2, 1);
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(join(__dirname, name));
