import { verifyReport, workspaceArgument } from './verify-command.js';

describe(workspaceArgument.name, () => {
  it('reads --workspace in both forms', () => {
    expect(workspaceArgument(['--workspace', 'acme'])).toBe('acme');
    expect(workspaceArgument(['--workspace=acme'])).toBe('acme');
  });

  it('refuses a missing workspace', () => {
    expect(() => workspaceArgument([])).toThrow(/usage/);
  });
});

describe(verifyReport.name, () => {
  it('names the first broken link', () => {
    const text = verifyReport({
      workspaceId: 'acme',
      ok: false,
      anchoredAt: null,
      logs: [
        {
          log: 'changes',
          entries: 2,
          firstSeq: 1,
          lastSeq: 2,
          anchoredSeq: null,
          unchained: 0,
          broken: { kind: 'altered', seq: 3, id: 'e3', detail: 'content does not match its hash' },
        },
      ],
    });
    expect(text).toContain('BROKEN workspace acme');
    expect(text).toContain('altered at changes seq 3 id e3');
  });
});
