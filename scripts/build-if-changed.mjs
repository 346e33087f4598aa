// `npm start` builds only when the sources changed since the last build: a full build takes tens of
// seconds, a hash of the inputs a fraction of one. The stamp holds the hash of every build input.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const stampFile = join(root, 'dist', '.build-stamp');
const outputs = [join(root, 'dist', 'server', 'src', 'main.js'), join(root, 'client', 'dist', 'index.html')];
const inputs = ['server/src', 'contracts', 'migrations', 'client', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const skipped = new Set(['node_modules', 'dist']);

function* files(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path).sort()) if (!skipped.has(entry)) yield* files(join(path, entry));
}

const hash = createHash('sha256');
for (const input of inputs) {
  for (const file of files(join(root, input))) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
}
const digest = hash.digest('hex');

const built = outputs.every((output) => existsSync(output)) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest;
if (built) {
  console.log('Build is up to date (sources unchanged since the last build).');
} else {
  console.log('Building Careloop (server and web client)…');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stampFile, digest);
}
