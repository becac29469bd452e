import { readGatewayContext } from './gateway-context.js';

describe(readGatewayContext.name, () => {
  it('reads the trusted headers', () => {
    const context = readGatewayContext({
      headers: {
        'x-le-workspace-id': 'ws-1',
        'x-le-auth-method': 'bearer',
        'x-le-client-id': 'client-9',
        'x-request-id': 'req-1',
      },
    });
    expect(context).toEqual({
      workspaceId: 'ws-1',
      authMethod: 'bearer',
      clientId: 'client-9',
      requestId: 'req-1',
    });
  });

  it('leaves optional headers null', () => {
    expect(readGatewayContext({ headers: { 'x-le-workspace-id': 'ws-1' } })).toMatchObject({
      authMethod: null,
      clientId: null,
    });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['repeated', ['ws-1', 'ws-2']],
    ['with spaces', 'ws 1'],
    ['too long', 'w'.repeat(65)],
  ])('refuses a workspace header that is %s', (_, value) => {
    expect(readGatewayContext({ headers: { 'x-le-workspace-id': value } })).toBeNull();
  });
});
