import { closest, didYouMean } from '../../../service-config/suggest';
import { suggest } from '../../../service-config/validate-schema';

/** The one "did you mean" threshold: service.yaml's loader and the linter used to apply two. */
describe('did-you-mean threshold', () => {
  it('suggests a case-only difference and a swap of two letters', () => {
    expect(closest('SERVICE', ['service', 'editions'])).toBe('service');
    expect(closest('edtiions', ['service', 'editions'])).toBe('editions');
  });

  it('suggests nothing four edits away, however long the name (the loader used to allow a third of it)', () => {
    expect(closest('retentionDaysXyzw', ['retentionDays'])).toBeUndefined();
    expect(suggest('retentionDaysXyzw', ['retentionDays'])).toBeUndefined();
    expect(closest('retentionDaysXyz', ['retentionDays'])).toBe('retentionDays');
  });

  it('words the hint once', () => {
    expect(didYouMean('regoin', ['region'])).toBe(' (did you mean "region"?)');
    expect(didYouMean('zzz', ['region'])).toBe('');
  });
});
