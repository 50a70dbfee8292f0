import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** Every Lambda entry point under functions/ (a file that exports `handler`), relative to the root, sorted. */
export const handlerModules = (): string[] => {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && /^export const handler\b/m.test(readFileSync(path, 'utf8')))
        found.push(relative(REPO_ROOT, path));
    }
  };
  walk(join(REPO_ROOT, 'functions'));
  return found.sort();
};
