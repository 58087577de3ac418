import { MASK, maskOutputs, maskText } from '../../../scripts/console/mask';

describe('console masking', () => {
  it('masks outputs whose names look secret, keeps the others, sorted by name', () => {
    expect(
      maskOutputs({
        Endpoint: 'https://x',
        AdminPassword: 'p1',
        ApiKey: 'k1',
        access_key_secret: 's1',
        SessionToken: 't1',
        Monkey: 'banana',
        KeyboardLayout: 'us',
      }),
    ).toEqual([
      ['access_key_secret', MASK],
      ['AdminPassword', MASK],
      ['ApiKey', MASK],
      ['Endpoint', 'https://x'],
      ['KeyboardLayout', 'us'],
      ['Monkey', 'banana'],
      ['SessionToken', MASK],
    ]);
    expect(maskOutputs(undefined)).toEqual([]);
  });

  it('masks name=value and name: value secrets inside free text', () => {
    expect(maskText('InvalidParameter: AdminPassword=Abc123! is too short')).toBe(
      `InvalidParameter: AdminPassword=${MASK} is too short`,
    );
    expect(maskText('{"password": "hunter2", "user": "bob"}')).toBe(`{"password": "${MASK}", "user": "bob"}`);
    expect(maskText('token:abc&next=1')).toBe(`token:${MASK}&next=1`);
    expect(maskText('deployment failed: quota exceeded')).toBe('deployment failed: quota exceeded');
  });
});
