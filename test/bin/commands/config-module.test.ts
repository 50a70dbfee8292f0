import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireConfigModule } from '../../../bin/commands/config-module';
import { defineConfig } from '../../../lib/index';

/** A project directory with a node_modules/ (where the compiled config is cached) and the given files. */
const project = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-module-'));
  mkdirSync(join(dir, 'node_modules'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('requireConfigModule', () => {
  it('runs a TypeScript config with its relative imports, the package entry being the CLI’s own copy', () => {
    // Prepare
    const dir = project({
      'vigil.config.ts': [
        "import { defineConfig } from '@vigil-oss/vigil';",
        "import { baseUrl } from './urls';",
        'export const config = defineConfig({ app: "shop", environments: { prod: { baseUrl } } });',
        'export const define = defineConfig;',
      ].join('\n'),
      'urls.ts': "export const baseUrl: string = 'https://shop.example.com';",
    });
    // Act
    const loaded = requireConfigModule(join(dir, 'vigil.config.ts')) as { config: unknown; define: unknown };
    // Assess
    expect(loaded.config).toEqual({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
    });
    expect(loaded.define).toBe(defineConfig);
  });

  it('reuses the compiled config from node_modules/.cache/vigil until one of its files changes', () => {
    // Prepare
    const dir = project({
      'vigil.config.ts': "import { value } from './part';\nexport const config = { value };",
      'part.ts': "export const value: string = 'first';",
    });
    const file = join(dir, 'vigil.config.ts');
    const first = requireConfigModule(file) as { config: { value: string } };
    const cache = join(dir, 'node_modules', '.cache', 'vigil');
    // Act: the imported file changes (a later mtime, as an editor's save gives it)
    writeFileSync(join(dir, 'part.ts'), "export const value: string = 'second';");
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'part.ts'), later, later);
    const second = requireConfigModule(file) as { config: { value: string } };
    // Assess
    expect(first.config.value).toBe('first');
    expect(existsSync(cache) && readdirSync(cache).filter((name) => name.endsWith('.json'))).toHaveLength(1);
    expect(second.config.value).toBe('second');
  });

  it('names the file and line of a syntax error', () => {
    // Prepare
    const dir = project({ 'vigil.config.ts': 'export const config = {\n  app: "shop",,\n};' });
    // Act / Assess
    expect(() => requireConfigModule(join(dir, 'vigil.config.ts'))).toThrow(/vigil\.config\.ts:2/);
  });
});
