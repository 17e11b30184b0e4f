import { z } from 'zod';
import { csvList, loadConfig, optionalString } from '#shared/config';

describe('loadConfig', () => {
  const schema = z.object({ TABLE_NAME: z.string().min(1), TOPICS: csvList, MQTT: optionalString });

  it('parses and transforms', () => {
    expect(loadConfig(schema, { TABLE_NAME: 't', TOPICS: 'a, b,,c', MQTT: '' })).toEqual({ TABLE_NAME: 't', TOPICS: ['a', 'b', 'c'], MQTT: undefined });
  });

  it('fails fast naming the variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(/TABLE_NAME/);
  });
});
