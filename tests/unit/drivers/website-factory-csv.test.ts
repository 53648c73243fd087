import { describe, expect, it } from 'vitest';
import { bulkOutcome, previewBulk } from '../../../src/main/drivers/website-factory/bulk-sites';
import { columnKey, parseCsv, parseCsvTable } from '../../../src/main/drivers/website-factory/csv-parse';
import { readWebsiteFactoryError } from '../../../src/main/drivers/website-factory/website-factory-errors';
import type { AppError } from '../../../src/shared/errors';

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('parseCsv (the bulk create CSV parser)', () => {
  it('reads plain rows with LF, CRLF and CR line ends and keeps line numbers', () => {
    expect(parseCsv('a,b\n1,2\r\n3,4\r5,6')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
    ]);
  });

  it('reads quoted fields with separators, doubled quotes and line breaks inside', () => {
    const text = 'domain,brand_name\r\n"a.com","Joe ""Big"" Pizza, Inc."\r\nb.com,"two\r\nlines"\r\nc.com,x\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['domain', 'brand_name'] },
      { line: 2, fields: ['a.com', 'Joe "Big" Pizza, Inc.'] },
      { line: 3, fields: ['b.com', 'two\r\nlines'] },
      { line: 5, fields: ['c.com', 'x'] },
    ]);
  });

  it('strips a byte-order mark, skips blank lines and keeps empty fields', () => {
    expect(parseCsv('\uFEFFdomain,brand\n\n\na.com,\n,\n')).toEqual([
      { line: 1, fields: ['domain', 'brand'] },
      { line: 4, fields: ['a.com', ''] },
      { line: 5, fields: ['', ''] },
    ]);
  });

  it('detects semicolon and tab separated exports from the header line', () => {
    expect(parseCsv('domain;brand\na.com;A').map((r) => r.fields)).toEqual([
      ['domain', 'brand'],
      ['a.com', 'A'],
    ]);
    expect(parseCsv('domain\tbrand\na.com\tA, Inc.').map((r) => r.fields)).toEqual([
      ['domain', 'brand'],
      ['a.com', 'A, Inc.'],
    ]);
  });

  it('refuses an unterminated quote, naming the line it opened on', () => {
    const e = thrown(() => parseCsv('domain,brand\na.com,"open\nb.com,B\n'));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('The quote opened on line 2 is never closed.');
  });

  it('names columns from the header (trimmed, lower-case, underscores) and pads short rows', () => {
    expect(columnKey(' Brand Name ')).toBe('brand_name');
    const t = parseCsvTable('Domain, Brand Name ,Cloudflare-Account-Nickname\n a.com , A \nb.com\nc.com,C,CF_1,extra');
    expect(t.columns).toEqual(['domain', 'brand_name', 'cloudflare_account_nickname']);
    expect(t.rows).toEqual([
      { line: 2, values: { domain: 'a.com', brand_name: 'A', cloudflare_account_nickname: '' }, extra: 0 },
      { line: 3, values: { domain: 'b.com', brand_name: '', cloudflare_account_nickname: '' }, extra: 0 },
      { line: 4, values: { domain: 'c.com', brand_name: 'C', cloudflare_account_nickname: 'CF_1' }, extra: 1 },
    ]);
  });
});

describe('previewBulk (per-row checks before anything is sent)', () => {
  it('marks bad domains, repeated domains, bad brands and extra fields per row; the rest are valid', () => {
    const csv = [
      'domain,brand_name,cloudflare_account_nickname',
      'Shop.Example.com,Shop,CF_Batch_1',
      'bad..example.com,Bad,',
      'shop.example.com,Again,',
      '"$(touch /tmp/x).com",Evil,',
      'ok.example.com,"x; rm -rf /",',
      'bücher.example,Books,',
      'two.example.com,Two,CF 1,extra',
    ].join('\n');
    const p = previewBulk(csv);
    expect(p.columns).toEqual(['domain', 'brand_name', 'cloudflare_account_nickname']);
    expect(p.valid).toBe(2);
    const byLine = Object.fromEntries(p.rows.map((r) => [r.line, r.errors.map((e) => e.field)]));
    expect(byLine).toEqual({
      2: [],
      3: ['domain'],
      4: ['domain'],
      5: ['domain'],
      6: ['brand_name'],
      7: [],
      8: ['cloudflare_account_nickname', 'csv'],
    });
    expect(p.rows[0]?.values['domain']).toBe('shop.example.com');
    expect(p.rows[2]?.errors[0]?.message).toBe('Already on line 2.');
    expect(p.rows[5]?.values['domain']).toBe('xn--bcher-kva.example');
  });

  it('needs a header row naming a domain column', () => {
    expect(thrown(() => previewBulk('a.com,A\nb.com,B')).code).toBe('VALIDATION');
  });
});

describe('bulkOutcome (per-row results of a bulk answer)', () => {
  const domains = ['a.example.com', 'b.example.com', 'ab.example.com'];
  it('reads documented row objects by domain or index', () => {
    const r = bulkOutcome(domains, {
      created: 1,
      failed: 2,
      errors: [
        { row: 1, domain: 'b.example.com', error: 'exists' },
        { row: 2, error: 'Invalid domain format' },
      ],
    });
    expect([...r.failed]).toEqual([
      ['b.example.com', 'exists'],
      ['ab.example.com', 'Invalid domain format'],
    ]);
    expect(r.unmatched).toEqual([]);
  });

  it('reads the public code sentences by the domain they name (whole names only)', () => {
    const r = bulkOutcome(domains, {
      errors: ['Error creating site ab.example.com: Site with domain ab.example.com already exists', 'something else'],
    });
    expect([...r.failed.keys()]).toEqual(['ab.example.com']);
    expect(r.unmatched).toEqual(['something else']);
  });
});

describe('readWebsiteFactoryError', () => {
  const res = (status: number, body: unknown) => ({ status, body, headers: {}, request: 'POST /sites/' });
  it('reads detail strings, 422 lists as fields, the limiter error and plain text', () => {
    expect(readWebsiteFactoryError(res(404, { detail: 'Site not found' }))).toEqual({ message: 'Site not found' });
    expect(
      readWebsiteFactoryError(
        res(422, {
          detail: [
            { loc: ['body', 'domain'], msg: 'Value error, Invalid domain format', type: 'value_error' },
            { loc: ['body', 'brand_name'], msg: 'Field required', type: 'missing' },
          ],
        }),
      ),
    ).toEqual({
      message: 'domain: Invalid domain format (and 1 more)',
      panelCode: 'value_error',
      fields: [
        { field: 'domain', message: 'Invalid domain format' },
        { field: 'brand_name', message: 'Field required' },
      ],
    });
    expect(readWebsiteFactoryError(res(429, { error: 'Rate limit exceeded: 10 per 1 minute' }))?.message).toBe(
      'Rate limit exceeded: 10 per 1 minute',
    );
    expect(readWebsiteFactoryError(res(500, 'Internal Server Error'))?.message).toBe('Internal Server Error');
    expect(readWebsiteFactoryError(res(502, '<html>bad gateway</html>'))).toBeNull();
  });
});
