import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentsMarkdown } from '../cli/docs.ts';

describe('docs', () => {
  it('docs/components.md matches the component registry (run `npm run docs` to update it)', () => {
    const committed = readFileSync(join(import.meta.dirname, '../docs/components.md'), 'utf8');
    expect(committed).toBe(componentsMarkdown());
  });
});
