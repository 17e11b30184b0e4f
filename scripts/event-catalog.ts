// Renders docs/events.md, the event catalog page, from the contracts in functions/shared/contracts: each event's
// producer, topic, message attributes, the fields of its `data` (from the zod schema through z.toJSONSchema, with
// the schemas' descriptions) and its sample (tests/unit/fixtures/events) as the example. A unit test fails when
// the page is not what this renders: `npx tsx scripts/event-catalog.ts` rewrites it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { EVENT_TYPES, STANDARD_ATTRIBUTES, TOPIC_ATTRIBUTES, eventCatalog, type EventType } from '../functions/shared/contracts/index';
import { sampleEvent } from '../tests/unit/fixtures/events';

export const EVENTS_DOC_FILE = join(__dirname, '..', 'docs/events.md');

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
}

type Row = [path: string, type: string, meaning: string];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const literal = (value: unknown) => `\`${JSON.stringify(value)}\``;

function range(schema: JsonSchema): string {
  // Every integer is a safe one: those bounds say nothing.
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  const min = schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER ? schema.minimum : undefined;
  if (schema.exclusiveMinimum !== undefined) return max === undefined ? ` > ${schema.exclusiveMinimum}` : ` > ${schema.exclusiveMinimum}, ≤ ${max}`;
  if (min !== undefined && max !== undefined) return ` ${min}…${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  return max === undefined ? '' : ` ≤ ${max}`;
}

const FORMATS: Record<string, string> = { 'date-time': 'UTC instant', date: 'date', email: 'email' };

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  const nonNull = schema.anyOf?.filter((s) => s.type !== 'null');
  if (nonNull && nonNull.length < schema.anyOf!.length) return `${nonNull.map(typeOf).join(' | ')} or null`;
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.every((v) => v.type === 'object') ? 'object, one of the shapes below' : variants.map(typeOf).join(' | ');
  switch (schema.type) {
    case 'array':
      return `array of ${typeOf(schema.items ?? {})}${schema.minItems ? ` (at least ${schema.minItems})` : ''}`;
    case 'integer':
      if (schema.format === 'money') return `money: integer minor units${schema.minimum === 0 ? '' : ', may be negative'}`;
      return `integer${range(schema)}`;
    case 'number':
      return `${schema.type}${range(schema)}`;
    case 'string':
      return schema.format && FORMATS[schema.format] ? `string (${FORMATS[schema.format]})` : 'string';
    default:
      return schema.type ?? 'any';
  }
}

/** The row of a field, then those of what it holds: object properties as `a.b`, array items as `a[].b`. */
function rowsOf(schema: JsonSchema, path: string, optional: boolean, when: string): Row[] {
  return [[path, `${typeOf(schema)}${optional ? ', optional' : ''}`, `${when}${schema.description ?? ''}`], ...childRows(schema, path, when)];
}

function childRows(schema: JsonSchema, path: string, when: string): Row[] {
  const nonNull = schema.anyOf?.filter((s) => s.type !== 'null');
  if (nonNull?.length === 1 && schema.anyOf!.length === 2) return childRows(nonNull[0]!, path, when);
  const prefix = path ? `${path}.` : '';
  if (schema.type === 'object') {
    return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => rowsOf(property, `${prefix}${name}`, !schema.required?.includes(name), when));
  }
  if (schema.type === 'array' && schema.items) return childRows(schema.items, `${path}[]`, when);
  const variants = schema.oneOf ?? schema.anyOf;
  return variants?.every((v) => v.type === 'object') ? variantRows(variants, prefix, when) : [];
}

/** A tagged union: its tag once, then each shape's other fields, saying which shape has them. */
function variantRows(variants: JsonSchema[], prefix: string, when: string): Row[] {
  const tag = Object.keys(variants[0]!.properties ?? {}).find((key) => variants.every((v) => v.properties?.[key]?.const !== undefined));
  if (!tag) throw new Error(`${prefix}: a union of objects needs a tag to be documented`);
  const tagOf = (variant: JsonSchema) => literal(variant.properties![tag]!.const);
  return [
    [`${prefix}${tag}`, variants.map(tagOf).join(' | '), `${when}which shape`],
    ...variants.flatMap((variant) => {
      const { [tag]: _tag, ...others } = variant.properties ?? {};
      return childRows({ ...variant, properties: others }, prefix.slice(0, -1), `${when}(${tag} ${tagOf(variant)}) `);
    }),
  ];
}

const anchor = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

function renderEvent(type: EventType): string[] {
  const { source, topic, description, data } = eventCatalog[type];
  const schema = z.toJSONSchema(data, { io: 'input' }) as JsonSchema;
  const attributes = [...STANDARD_ATTRIBUTES, ...TOPIC_ATTRIBUTES[topic]];
  return [
    `### \`${type}\``,
    '',
    description,
    '',
    `- **Producer:** ${source} (\`source: "${source}"\`)`,
    `- **Topic:** ${topic}`,
    `- **Message attributes:** ${attributes.map((a) => `\`${a}\``).join(', ')}`,
    '',
    '| `data` field | type | meaning |',
    '|---|---|---|',
    ...childRows(schema, '', '').map(([path, fieldType, meaning]) => `| \`${path}\` | ${cell(fieldType)} | ${cell(meaning)} |`),
    '',
    '<details><summary>Example</summary>',
    '',
    '```json',
    JSON.stringify(sampleEvent(type), null, 2),
    '```',
    '',
    '</details>',
    '',
  ];
}

export function renderEventCatalog(): string {
  const producers = [...new Set(EVENT_TYPES.map((type) => eventCatalog[type].source))];
  return [
    '# Events: the catalog',
    '',
    'Generated by `npx tsx scripts/event-catalog.ts` from the contracts in `functions/shared/contracts/` (one module per',
    'producer, the shared value types in `values.ts`, the catalog in `index.ts`); a unit test fails when this page is',
    'out of date. The examples are the samples in `tests/unit/fixtures/events/`, each checked against its contract.',
    '',
    '## How events travel',
    '',
    'Every event is one envelope, the SNS message body:',
    '',
    '| field | type | meaning |',
    '|---|---|---|',
    '| `id` | string | unique per fact; a republished fact keeps its id |',
    '| `type` | string | the event type, below |',
    '| `source` | string | the producing domain |',
    '| `siteId` | string | the site it happened at (`*` for directory events about users) |',
    '| `occurredAt` | string (UTC instant) | when it happened |',
    '| `correlationId` | string | the request or job that caused it, for tracing |',
    '| `data` | object | the type\'s fields, below |',
    '',
    '- Published on the SNS topic named below with the message attributes `type`, `siteId` and `source` (alerts also',
    '  `severity`), so subscribers filter with filter policies.',
    '- Producers publish through their domain\'s outbox, in the transaction of the change: never lost, at worst',
    '  published twice. Delivery is at least once and unordered: **deduplicate by `id`**, and order by `version`',
    '  where the data has one.',
    '- Producers cannot publish an event that breaks its contract: `buildEvent` (`#shared/events`) checks the data',
    '  of every catalogued type. Consumers parse with the same schemas (`parseEvent` from `#shared/contracts`,',
    '  typed `EventOf<\'order.placed\'>`); an event that does not parse is logged and dropped, as a retry cannot fix it.',
    '- Money is in integer minor units of the site currency, quantities carry their unit, instants are UTC ISO-8601.',
    '- Changing a contract: add optional fields freely; removing or retyping a field breaks consumers, so it is a new',
    '  event type.',
    '',
    '## Contents',
    '',
    '| type | producer | topic |',
    '|---|---|---|',
    ...EVENT_TYPES.map((type) => `| [\`${type}\`](#${anchor(type)}) | ${eventCatalog[type].source} | ${eventCatalog[type].topic} |`),
    '',
    ...producers.flatMap((source) => [`## ${source}`, '', ...EVENT_TYPES.filter((type) => eventCatalog[type].source === source).flatMap(renderEvent)]),
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(EVENTS_DOC_FILE, renderEventCatalog());
  console.log(`wrote ${EVENTS_DOC_FILE}`);
}
