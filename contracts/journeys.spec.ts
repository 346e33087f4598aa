import { templateParts } from './journeys';

describe('template fields in words (the journey editor’s simple view)', () => {
  const preset = "Hi {{ customer.first_name | default: 'there' }},\n\nSkip it{% if links.skip %}: {{ links.skip }}{% else %} by replying{% endif %}.\n\n{{ sender.name }} {{ customer.secret_field }} {% for x in y %}";

  it('names each field and condition, and gives the template back unchanged', () => {
    const parts = templateParts(preset);
    expect(parts.filter((part) => part.kind !== 'text').map((part) => ('label' in part ? part.label : ''))).toEqual([
      'First name (or “there”)',
      'Only if there is a Skip-a-delivery link:',
      'Skip-a-delivery link',
      'Otherwise:',
      'End of the condition',
      'Sender’s name',
      'secret field',
      '{% for x in y %}',
    ]);
    expect(parts.map((part) => (part.kind === 'text' ? part.text : part.code)).join('')).toBe(preset);
    expect(templateParts("{{ customer.name | default: customer.email }} on {{ customer.next_renewal | date: '%A' }}").map((part) => ('label' in part ? part.label : part.text))).toEqual([
      'Full name (or email address)',
      ' on ',
      'Next renewal date',
    ]);
  });
});
