import { describe, expect, it } from 'vitest';
import { Logger, Redactor, memorySink } from '../../../src/main/core/logger';

describe('logger', () => {
  it('redacts registered secrets from every line', () => {
    const { sink, lines } = memorySink();
    const redactor = new Redactor();
    const log = new Logger({ sink, redactor });
    redactor.add('correct horse battery');
    log.info('x', { note: 'the password is correct horse battery!' });
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).not.toContain('correct horse battery');
    redactor.clear();
    log.info('y', { note: 'correct horse battery' });
    expect(lines[1]).toContain('correct horse battery');
  });

  it('drops lines under the configured level', () => {
    const { sink, lines } = memorySink();
    const log = new Logger({ sink, level: 'warn' });
    log.info('quiet');
    log.warn('loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', event: 'loud' });
  });
});
