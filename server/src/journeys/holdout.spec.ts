import { randomUUID } from 'node:crypto';
import { holdoutPosition } from './holdout';

describe('journey holdout', () => {
  const journeyId = '6f1d9a52-3c1b-4e8e-9a57-1d8c0b7e2f10';
  const customers = Array.from({ length: 20_000 }, () => randomUUID());

  it('puts a customer in the same place every time, and elsewhere for another journey', () => {
    const first = customers.slice(0, 100).map((customer) => holdoutPosition(journeyId, customer));
    expect(customers.slice(0, 100).map((customer) => holdoutPosition(journeyId, customer))).toEqual(first);
    const other = customers.slice(0, 100).map((customer) => holdoutPosition('0b7c3f1e-2a4d-4c59-8d7e-5f6a1b2c3d4e', customer));
    expect(other).not.toEqual(first);
  });

  it('holds out the asked share of customers, within tolerance', () => {
    for (const percent of [10, 25]) {
      const heldOut = customers.filter((customer) => holdoutPosition(journeyId, customer) < percent / 100).length / customers.length;
      // Binomial standard error at n = 20,000 is at most 0.31 points; allow four of them.
      expect(Math.abs(heldOut - percent / 100)).toBeLessThan(0.0125);
    }
  });
});
