import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from '../functions/commons/config/schema';

/** Renders the JSON Schema of the config (what users write) for editors: `schema/vigil.schema.json`. */
export const renderConfigJsonSchema = (): string =>
  `${JSON.stringify(
    {
      ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
      title: 'Vigil config',
      description: 'Synthetic checks, KPI monitors, alarms and escalation policies for Vigil.',
    },
    null,
    2,
  )}\n`;

if (require.main === module) {
  const file = join(__dirname, '../schema/vigil.schema.json');
  writeFileSync(file, renderConfigJsonSchema());
  process.stdout.write(`wrote ${file}\n`);
}
