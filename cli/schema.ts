// Prints the scenario JSON Schema (npm run -s schema > scenario.schema.json).
import { scenarioSchema } from '../engine/index.ts';

process.stdout.write(JSON.stringify(scenarioSchema(), null, 2) + '\n');
