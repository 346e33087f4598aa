import { extractTicketToken, formatSubjectWithToken, parsePlusAddressMarker, plusAddressMarker } from './thread-markers';

describe('ticket tokens in subjects', () => {
  it.each([
    ['Re: Where is my order? [#1234]', 1234],
    ['[#7] broken zipper', 7],
    ['AW: Re: Rückerstattung [#98765]', 98765],
    ['Order #1234 missing', null],
    ['[#] nothing', null],
    ['[#0] zero is no ticket', null],
  ])('reads %j as %j', (subject, expected) => {
    expect(extractTicketToken(subject)).toBe(expected);
  });

  it.each([
    ['Where is my order?', 'Where is my order? [#42]'],
    ['Re: Where is my order?', 'Re: Where is my order? [#42]'],
    ['Re: RE: re: Where is my order? [#42]', 'Re: Where is my order? [#42]'],
    ['AW: Re[2]: Where is my order? [#42] [#42]', 'Re: Where is my order? [#42]'],
    ['Fwd: Re: Invoice', 'Fwd: Invoice [#42]'],
    ['Re: [#42] Where is my order?', 'Re: Where is my order? [#42]'],
    ['Re: Where is my order? [#41]', 'Re: Where is my order? [#42]'],
    ['', '[#42]'],
  ])('formats %j as %j', (subject, expected) => {
    expect(formatSubjectWithToken(subject, 42)).toBe(expected);
  });

  it('is stable when the formatted subject comes back in a reply', () => {
    const first = formatSubjectWithToken('Where is my order?', 42);
    expect(formatSubjectWithToken(`Re: ${first}`, 42)).toBe('Re: Where is my order? [#42]');
    expect(formatSubjectWithToken(`Re: Re: ${formatSubjectWithToken(`Re: ${first}`, 42)}`, 42)).toBe('Re: Where is my order? [#42]');
  });
});

describe('plus-address markers', () => {
  it('adds the ticket number as plus detail', () => {
    expect(plusAddressMarker('support@example.com', 1234)).toBe('support+t1234@example.com');
  });

  it('replaces an earlier ticket marker and keeps other details', () => {
    expect(plusAddressMarker('support+t99@example.com', 1234)).toBe('support+t1234@example.com');
    expect(plusAddressMarker('support+sales@example.com', 1234)).toBe('support+sales+t1234@example.com');
  });

  it('refuses something that is not an address', () => {
    expect(() => plusAddressMarker('support', 1)).toThrow('Not an email address');
  });

  it.each([
    ['support+t1234@example.com', 1234],
    ['Support+T1234@Example.com', 1234],
    ['support+sales+t77@example.com', 77],
    ['support@example.com', null],
    ['support+sales@example.com', null],
    ['support+t12x@example.com', null],
    ['not-an-address', null],
  ])('reads %j as %j', (address, expected) => {
    expect(parsePlusAddressMarker(address)?.number ?? null).toBe(expected);
  });

  it('reads back what it writes, with its signature', () => {
    expect(parsePlusAddressMarker(plusAddressMarker('help+eu@shop.example', 555))).toEqual({ number: 555, signature: null });
    expect(parsePlusAddressMarker(plusAddressMarker('help+eu@shop.example', 555, '0123456789abcdef'))).toEqual({ number: 555, signature: '0123456789abcdef' });
  });
});
