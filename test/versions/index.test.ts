import { rangeSchemesFor } from '../../shared/versions';
import { rpmScheme } from '../../shared/versions/rpm';
import { requireTool, rpmOrders, type Pair } from '../support/version-oracles-os';

/** Versions as each rpm distribution's advisories and rpm databases write them. */
const SHAPES: Readonly<Record<string, readonly Pair[]>> = {
  'Amazon Linux': [
    ['1:3.0.8-1.amzn2023.0.14', '1:3.0.8-1.amzn2023.0.16'],
    ['8.5.0-1.amzn2023.0.4', '8.5.0-1.amzn2023.0.5'],
    ['1:1.0.2k-24.amzn2.0.12', '1:1.0.2k-24.amzn2.0.11'],
    ['2.26-64.amzn2.0.2', '2.26-64.amzn2'],
  ],
  SUSE: [
    ['3.0.8-150500.5.21.1', '3.0.8-150500.5.24.1'],
    ['2.70.5-150400.3.11.1', '2.70.5-150400.3.14.1'],
    ['2.0.8_k4.12.14_10.118-4.8.2', '2.0.8-4.8.2'],
    ['1.86-150100.7.23.11', '2.86-150100.7.23.1'],
  ],
  openSUSE: [
    ['2.12.4-1.1', '2.12.5-1.1'],
    ['0~20240902.c95cc9e-1.1', '0'],
  ],
  'Azure Linux': [
    ['1.3.1-1', '1.3.1-1'],
    ['1.3-1', '1.3.1-1'],
    ['5.15.158.2-1', '5.10.78.1-1'],
  ],
  'Red Hat': [
    ['1:18.18.2-2.module+el9.3.0+20612+0a2e10b5', '1:18.19.0-1.module+el9.3.0+21031+53e8ea6c'],
    ['0:2.13.3-3.el8_6.1', '2.13.3-3.el8'],
    ['1:3.0.7-25.el9_3', '1:3.0.7-18.el9_2.1'],
  ],
};

describe('rangeSchemesFor', () => {
  describe('when the ecosystem is an rpm distribution', () => {
    beforeAll(() => requireTool('rpm'));

    it.each(Object.entries(SHAPES))('orders %s versions as rpm itself does', (ecosystem, pairs) => {
      const scheme = rangeSchemesFor(ecosystem)!.ecosystem;
      expect(scheme).toBe(rpmScheme);
      expect(pairs.map(([a, b]) => Math.sign(scheme.compare(a, b)))).toEqual(rpmOrders(pairs));
    });
  });

  describe('when the ecosystem is not supported', () => {
    it.each(['Mageia', 'openEuler', 'constructor', 'Amazon Linux:2023'])('has none for %s', (e) => {
      expect(rangeSchemesFor(e)).toBeUndefined();
    });
  });
});
