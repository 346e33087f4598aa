import { parseCustomerCsv } from './customer-csv';

const csv = (text: string) => Buffer.from(text.replace(/^\s+/gm, ''));

describe('subscriber CSV', () => {
  it('validates every row and says per line what is wrong', () => {
    const result = parseCustomerCsv(
      csv(`Email,Status,Started At,Cycle,Lifetime Value,Time Zone
        ann@example.com,active,2031-01-05,2,49.90,Europe/Paris
        not-an-email,active,,,,
        bob@example.com,sleeping,2031-13-01,-1,,Mars/Olympus
        ANN@example.com,paused,,,,
        "cy@example.com",cancelled,,,,`),
    );
    expect(result.valid.map(({ line, row }) => [line, row.email, row.status])).toEqual([
      [2, 'ann@example.com', 'active'],
      [6, 'cy@example.com', 'cancelled'],
    ]);
    expect(result.valid[0].row).toMatchObject({ started_at: new Date('2031-01-05T00:00:00Z'), cycle: 2, lifetime_value: 49.9, time_zone: 'Europe/Paris' });
    expect(result.refused).toEqual([
      { line: 3, email: 'not-an-email', outcome: 'refused', errors: [{ field: 'email', message: 'must be an email address' }] },
      {
        line: 4,
        email: 'bob@example.com',
        outcome: 'refused',
        errors: [
          { field: 'status', message: 'must be one of none, active, paused, cancelled' },
          { field: 'started_at', message: 'must be a date (YYYY-MM-DD) or a date-time with offset' },
          { field: 'cycle', message: 'may not be negative' },
          { field: 'time_zone', message: 'must be an IANA time zone such as Europe/Paris' },
        ],
      },
      { line: 5, email: 'ann@example.com', outcome: 'refused', errors: [{ field: 'email', message: 'already on line 2' }] },
    ]);
  });

  it('refuses a file with unknown columns or without emails as a whole', () => {
    expect(() => parseCustomerCsv(csv('email,favourite_colour\nann@example.com,blue'))).toThrow(/unknown columns: favourite_colour/);
    expect(() => parseCustomerCsv(csv('name\nAnn'))).toThrow(/needs an email column/);
    expect(() => parseCustomerCsv(csv('email,plan\n"ann@example.com,beans'))).toThrow(/not a readable CSV file/);
  });
});
