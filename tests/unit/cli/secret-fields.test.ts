import { describe, expect, it } from 'vitest';
import { methods, type MethodName } from '../../../src/shared/contract';
import { secretFields, secretFieldsIn } from '../../../src/main/cli/secret-fields';

/** Issue 8 item 22: which input fields are secret comes from the contract's marks. */
describe('secret fields from the contract', () => {
  it('finds the marked fields of the methods that take secrets', () => {
    expect(secretFields('credentials.create')).toEqual(['passphrase', 'secret']);
    expect(secretFields('credentials.update')).toEqual(['patch.passphrase', 'patch.secret']);
    expect(secretFields('keys.import')).toEqual(['passphrase', 'privateKey']);
    expect(secretFields('vault.changePassword')).toEqual(['current', 'next']);
    expect(secretFields('vault.export')).toEqual(['password']);
    expect(secretFields('servers.list')).toEqual([]);
  });

  it('every input field named like a secret is marked (a new one cannot slip past the CLI warning)', () => {
    const looksSecret = /^(password|passphrase|secret|privateKey|current|next|token)$/;
    const unmarked: string[] = [];
    for (const name of Object.keys(methods) as MethodName[]) {
      const marked = new Set(secretFields(name));
      const shape = (methods[name].input as { shape?: Record<string, unknown> }).shape ?? {};
      for (const field of Object.keys(shape))
        if (looksSecret.test(field) && !marked.has(field)) unmarked.push(`${name}.${field}`);
    }
    expect(unmarked).toEqual([]);
  });

  it('reports only the secret fields present in an input', () => {
    expect(
      secretFieldsIn('credentials.create', { name: 'x', kind: 'password', secret: 's3cret', passphrase: null }),
    ).toEqual(['secret']);
    expect(secretFieldsIn('credentials.update', { id: 'x', patch: { name: 'n' } })).toEqual([]);
  });

  it("names a panel form's secret-looking values (the driver's form is free-form in the contract)", () => {
    const input = {
      id: 'p',
      resource: 'certificates',
      values: { domainName: 'a.example', privateKey: '-----BEGIN', password: '', dbPassword: 'x', apiToken: 't' },
    };
    expect(secretFieldsIn('panels.resources.create', input)).toEqual([
      'values.privateKey',
      'values.dbPassword',
      'values.apiToken',
    ]);
  });
});
