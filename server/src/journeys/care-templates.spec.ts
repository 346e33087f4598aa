import { TEMPLATE_FIELDS } from '../../../contracts/journeys';
import { CareTemplates } from './care-templates';

describe('the template fields the journey editor offers', () => {
  it('each fills in from the customer, the ticket, the links and the sender', () => {
    const templates = new CareTemplates();
    const scope = {
      customer: { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'Beans 1kg', currentCycle: 3, nextRenewalAt: new Date('2031-04-05T09:00:00Z'), lifetimeValue: 74.7, subscriptionStatus: 'active' as const, skippedCycles: 1 },
      ticket: { number: 42, subject: 'Crushed box' },
      links: { unsubscribe: 'https://help.example.com/u', skip: 'https://shop.example/skip', adjust: 'https://shop.example/adjust' },
      sender: { name: 'Carla' },
    };
    expect(Object.fromEntries(TEMPLATE_FIELDS.map((field) => [field.label, templates.render(field.code, scope)]))).toEqual({
      'First name': 'Ada',
      'Full name': 'Ada Lovelace',
      'Email address': 'ada@example.com',
      Plan: 'Beans 1kg',
      'Cycle number': '3',
      'Next renewal date': 'Saturday, April 5',
      'Lifetime value': '74.7',
      'Cycles skipped in a row': '1',
      'Ticket number': '42',
      'Ticket subject': 'Crushed box',
      'Skip-a-delivery link': 'https://shop.example/skip',
      'Change-subscription link': 'https://shop.example/adjust',
      'Sender’s name': 'Carla',
    });
  });
});
