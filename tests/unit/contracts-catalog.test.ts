import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { EVENT_TYPES, envelopeSchemaOf, eventCatalog, parseEvent, type EventType } from '../../functions/shared/contracts/index';
import { DEVICE_TYPES as CONTRACT_DEVICE_TYPES } from '../../functions/shared/contracts/iot';
import { orderStatusSchema, stationSchema as contractStationSchema } from '../../functions/shared/contracts/orders';
import { unitSchema as contractUnitSchema } from '../../functions/shared/contracts/values';
import { buildEvent, EventContractError } from '../../functions/shared/events';
import { DEVICE_TYPES } from '../../functions/iot/device-types';
import { ORDER_STATUSES, stationSchema, unitSchema } from '../../functions/orders/schemas';
import { SEVERITIES } from '../../functions/notifications/schemas';
import { sampleData, sampleEvent, sampleFile } from './fixtures/events';

/** The sample of `type` with its data changed by `change` (a deep copy: samples stay as they are). */
function broken(type: EventType, change: (data: any) => void): unknown {
  const event = structuredClone(sampleEvent(type)) as { data: unknown };
  change(event.data);
  return event;
}

const refused = (event: unknown) => {
  const parsed = parseEvent(event);
  return parsed.success ? [] : parsed.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the event catalog', () => {
  it('has a sample of every type, and only of catalogued types', () => {
    const files = readdirSync(dirname(sampleFile('order.placed'))).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)('%s: its sample parses, from its own producer, on its topic', (type) => {
    const sample = sampleEvent(type);
    expect({ type, issues: refused(sample) }).toEqual({ type, issues: [] });
    expect(sample).toMatchObject({ type, source: eventCatalog[type].source });
    expect(envelopeSchemaOf(type).parse(sample)).toEqual(sample);
    if (eventCatalog[type].topic === 'alerts') expect(sample.data).toHaveProperty('severity');
  });

  it.each(EVENT_TYPES)('%s: a missing required field or an unknown one is refused', (type) => {
    const required = (z.toJSONSchema(eventCatalog[type].data, { io: 'input' }) as { required?: string[] }).required ?? [];
    expect(required.length).toBeGreaterThan(0);
    for (const field of required) {
      expect({ field, issues: refused(broken(type, (data) => delete data[field])) }).toEqual({ field, issues: [expect.stringContaining(field)] });
    }
    expect(refused(broken(type, (data) => (data.surprise = true)))).not.toEqual([]);
  });

  it('refuses money that is not integer minor units', () => {
    expect(refused(broken('order.placed', (d) => (d.totals.total = 27.99)))).toEqual(['data.totals.total: Invalid input: expected int, received number']);
    expect(refused(broken('order.paid', (d) => (d.lines[0].unitPrice = 16.5)))).toHaveLength(1);
    expect(refused(broken('payment.recorded', (d) => (d.payment.amount = '24.99')))).toHaveLength(1);
    expect(refused(broken('payment.refunded', (d) => (d.refund.amount = -300)))).toHaveLength(1);
    // A balance and a modifier's price delta may be negative; still whole minor units.
    expect(refused(broken('order.line-added', (d) => (d.totals.balance = -150)))).toEqual([]);
    expect(refused(broken('order.line-added', (d) => (d.totals.balance = -1.5)))).toHaveLength(1);
  });

  it('refuses quantities without a known unit, and non-positive ones', () => {
    expect(refused(broken('order.paid', (d) => (d.lines[0].consumption[0].unit = 'oz')))).toEqual([expect.stringMatching(/^data\.lines\.0\.consumption\.0\.unit: /)]);
    expect(refused(broken('order.paid', (d) => delete d.lines[0].consumption[0].unit))).toHaveLength(1);
    expect(refused(broken('order.placed', (d) => (d.lines[0].consumption[0].quantity = 0)))).toHaveLength(1);
  });

  it('refuses dates and instants that are not ISO-8601 UTC within 2000..2199', () => {
    expect(refused(broken('order.placed', (d) => (d.placedAt = '2026-11-25 19:30')))).toHaveLength(1);
    expect(refused(broken('order.placed', (d) => (d.placedAt = '2026-11-25T20:30:00+01:00')))).toHaveLength(1);
    expect(refused(broken('order.placed', (d) => (d.businessDay = '2026-02-30')))).toHaveLength(1);
    expect(refused(broken('iot.device-offline', (d) => (d.lastSeenAt = '1970-01-01T00:00:00.000Z')))).toHaveLength(1);
  });

  it('refuses what a consumer could not act on: an unknown status, role, time zone, severity or device type', () => {
    expect(refused(broken('order.status-changed', (d) => (d.to = 'in-progress')))).toHaveLength(1);
    expect(refused(broken('user.updated', (d) => (d.role = 'chef')))).toHaveLength(1);
    expect(refused(broken('site.updated', (d) => (d.timeZone = 'Mars/Olympus')))).toHaveLength(1);
    expect(refused(broken('iot.excursion-started', (d) => (d.severity = 'info')))).toHaveLength(1);
    expect(refused(broken('iot.device-offline', (d) => (d.severity = 'critical')))).toHaveLength(1);
    expect(refused(broken('iot.excursion-ended', (d) => (d.deviceType = 'toaster')))).toHaveLength(1);
    expect(refused(broken('iot.excursion-started', (d) => (d.temperatureC = '-11.8')))).toHaveLength(1);
  });

  it('refuses an envelope from the wrong producer or of an uncatalogued type', () => {
    expect(refused({ ...sampleEvent('order.placed'), source: 'iot' })).toEqual([expect.stringMatching(/^source: /)]);
    expect(refused({ ...sampleEvent('order.placed'), type: 'order.cancelled' })).toEqual(['type: not in the event catalog: order.cancelled']);
    expect(refused(undefined)).toHaveLength(1);
  });

  it('parses only the types a consumer takes, typed by type', () => {
    const parsed = parseEvent(sampleEvent('site.created'), ['site.created', 'site.updated']);
    expect(parsed.success && parsed.event.data.timeZone).toBe('America/New_York');
    expect(parseEvent(sampleEvent('user.registered'), ['site.created'])).toEqual({
      success: false,
      issues: [expect.objectContaining({ path: ['type'], message: 'not one of site.created' })],
    });
  });
});

describe('producers cannot publish an event that breaks its contract', () => {
  const envelope = (type: string, source: string, data: Record<string, unknown>) =>
    buildEvent({ type, source, siteId: 'demo-bistro', correlationId: 'c', data, occurredAt: new Date('2026-11-25T19:30:00Z') });

  it('buildEvent checks the data of every catalogued type and names the type and the field', () => {
    expect(envelope('payment.recorded', 'orders', sampleData('payment.recorded')).data).toEqual(sampleData('payment.recorded'));
    expect(() => envelope('payment.recorded', 'orders', sampleData('payment.recorded', { totals: undefined }))).toThrow(EventContractError);
    expect(() => envelope('payment.recorded', 'orders', sampleData('payment.recorded', { totals: undefined }))).toThrow(
      /^payment\.recorded does not match its contract: totals: /,
    );
    expect(() => envelope('iot.device-online', 'orders', sampleData('iot.device-online'))).toThrow('iot.device-online does not match its contract: source: published by iot, not orders');
  });

  it('types not catalogued yet are not checked', () => {
    expect(envelope('stock.counted', 'inventory', { countId: 'n1' }).data).toEqual({ countId: 'n1' });
  });
});

describe('the contracts and the domains agree', () => {
  // Contracts import no domain, so the enums a domain also keeps are compared here.
  it('on units, stations, order statuses, device types and alert severities', () => {
    expect(contractUnitSchema.options).toEqual(unitSchema.options);
    expect(contractStationSchema.options).toEqual(stationSchema.options);
    expect(orderStatusSchema.options).toEqual([...ORDER_STATUSES]);
    expect(CONTRACT_DEVICE_TYPES).toEqual(DEVICE_TYPES);
    const alerts = EVENT_TYPES.filter((t) => eventCatalog[t].topic === 'alerts');
    const severities = alerts.flatMap((t) => {
      const schema = z.toJSONSchema((eventCatalog[t].data as z.ZodObject).shape.severity!) as { enum?: string[]; const?: string };
      return schema.enum ?? [schema.const!];
    });
    expect(new Set(severities)).toEqual(new Set(SEVERITIES));
  });
});
