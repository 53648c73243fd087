import { describe, expect, it } from 'vitest';
import { AlertEngine, type Observation } from '../../../src/main/alerts/alert-engine';
import { observationsFromCertificates } from '../../../src/main/alerts/observations';
import type { Alert, AlertRule } from '../../../src/shared/contract/alerts.contract';

const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const R1 = '33333333-3333-4333-8333-333333333333';

function rule(over: Partial<AlertRule> = {}): AlertRule {
  return {
    id: R1,
    name: 'CPU high',
    metric: 'cpu',
    condition: '>',
    threshold: 80,
    forSeconds: 30,
    severity: 'warning',
    scope: { kind: 'all' },
    enabled: true,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

function setup(rules: AlertRule[], tags: Record<string, string[]> = {}) {
  let now = 1_000_000;
  let n = 0;
  const changes: { alert: Alert; fired: boolean }[] = [];
  const engine = new AlertEngine({
    now: () => now,
    newId: () => `a${++n}`,
    rules: () => rules,
    tags: (id) => tags[id] ?? null,
    onChange: (alert, fired) => changes.push({ alert, fired }),
  });
  const cpu = (serverId: string, value: number | null): Observation => ({
    serverId,
    metric: 'cpu',
    subject: 'cpu',
    value,
  });
  const tick = (obs: Observation[], dtMs = 5000) => {
    now += dtMs;
    engine.observe(obs, now);
  };
  return { engine, changes, cpu, tick, at: () => now };
}

describe('alert engine', () => {
  it('fires only after the condition held for the rule’s duration, and resolves when it stops', () => {
    const { engine, changes, cpu, tick } = setup([rule()]);
    tick([cpu(S1, 95)]); // holds since t0
    for (let i = 0; i < 5; i++) tick([cpu(S1, 90)]); // t0 + 25 s: not yet
    expect(changes).toHaveLength(0);
    tick([cpu(S1, 85)]); // t0 + 30 s: fires
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ fired: true, alert: { state: 'triggered', value: 85, serverId: S1 } });
    tick([cpu(S1, 99)]);
    expect(engine.list({ state: ['triggered'] })[0]?.lastValue).toBe(99);
    tick([cpu(S1, 10)]);
    expect(changes.at(-1)).toMatchObject({ fired: false, alert: { state: 'resolved', lastValue: 10 } });
    expect(engine.list({ state: ['triggered', 'acknowledged'] })).toHaveLength(0);
    expect(engine.list()[0]?.history.map((h) => h.state)).toEqual(['triggered', 'resolved']);
  });

  it('a dip below the threshold restarts the duration; an unknown value neither starts nor ends it', () => {
    const { changes, cpu, tick } = setup([rule()]);
    tick([cpu(S1, 95)]);
    tick([cpu(S1, 95)], 20_000);
    tick([cpu(S1, 50)]); // dip: pending cleared
    tick([cpu(S1, 95)]);
    tick([cpu(S1, 95)], 25_000); // 25 s since the restart
    expect(changes).toHaveLength(0);
    tick([cpu(S1, null)]); // unknown: no change
    tick([cpu(S1, 95)]); // 35 s since the restart
    expect(changes.map((c) => c.fired)).toEqual([true]);
    tick([cpu(S1, null)]);
    expect(changes).toHaveLength(1);
  });

  it('acknowledge, snooze and resolve by hand; a resolved alert cannot be acknowledged', () => {
    const { engine, changes, cpu, tick, at } = setup([rule({ forSeconds: 0 })]);
    tick([cpu(S1, 95)]);
    const id = changes[0]?.alert.id as string;
    expect(engine.acknowledge(id).state).toBe('acknowledged');
    const snoozed = engine.snooze(id, 10);
    expect(snoozed.snoozedUntil).toBe(at() + 600_000);
    expect(engine.snoozed(snoozed)).toBe(true);
    expect(engine.resolve(id).state).toBe('resolved');
    expect(() => engine.acknowledge(id)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => engine.acknowledge('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    // The condition still holds: it fires again as a new alert.
    tick([cpu(S1, 95)]);
    expect(changes.filter((c) => c.fired).map((c) => c.alert.id)).toEqual([id, 'a2']);
  });

  it('scopes: one server, a tag (case-insensitive), all; disabled rules do nothing', () => {
    const rules = [
      rule({ id: '44444444-4444-4444-8444-444444444444', forSeconds: 0, scope: { kind: 'server', serverId: S2 } }),
      rule({ id: '55555555-5555-4555-8555-555555555555', forSeconds: 0, scope: { kind: 'tag', tag: 'prod' } }),
      rule({ forSeconds: 0, enabled: false }),
    ];
    const { changes, cpu, tick } = setup(rules, { [S1]: ['PROD'], [S2]: ['dev'] });
    tick([cpu(S1, 95), cpu(S2, 95)]);
    expect(changes.map((c) => [c.alert.ruleId.slice(0, 1), c.alert.serverId]).sort()).toEqual([
      ['4', S2],
      ['5', S1],
    ]);
  });

  it('certificate expiry: days left below the threshold fires per certificate, whichever condition was set', () => {
    const { engine, changes } = setup([
      rule({ metric: 'certificate-expiry', threshold: 14, forSeconds: 0, condition: '>' }),
    ]);
    const now = 1_000_000;
    const day = 86_400_000;
    engine.observe(
      observationsFromCertificates(
        [
          { id: 'c1', serverId: S1, notAfter: now + 10 * day },
          { id: 'c2', serverId: S1, notAfter: now + 40 * day },
        ],
        now,
      ),
      now,
    );
    expect(changes.map((c) => [c.alert.subject, c.alert.value])).toEqual([['certificate:c1', 10]]);
  });

  it('a changed rule resolves its open alerts', () => {
    const { engine, changes, cpu, tick } = setup([rule({ forSeconds: 0 })]);
    tick([cpu(S1, 95)]);
    engine.ruleChanged(R1);
    expect(changes.at(-1)?.alert.state).toBe('resolved');
    expect(changes.at(-1)?.alert.history.at(-1)?.note).toBe('rule changed');
  });
});
