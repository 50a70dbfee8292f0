import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// `npm run bench -- <name> [args]`: runs bench/<name>.ts in a fresh process (benchmarks must not share warm state).
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(__dirname)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.slice(0, -3));
if (name === undefined || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}>\n`);
  process.exit(2);
}
const tsx = join(__dirname, '../node_modules/.bin/tsx');
const file = join(__dirname, `${name}.ts`);
if (!existsSync(tsx)) throw new Error('tsx is not installed: run npm install');
const result = spawnSync(tsx, [file, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
