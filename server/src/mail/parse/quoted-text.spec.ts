import { splitQuotedText } from './quoted-text';

describe('splitQuotedText', () => {
  it('keeps a message without quotes whole', () => {
    expect(splitQuotedText('Hello,\n\nmy parcel is late.\n')).toEqual({ visibleText: 'Hello,\n\nmy parcel is late.', quotedText: '' });
  });

  it('cuts a trailing block of "> " quotes', () => {
    expect(splitQuotedText('Yes please.\n\n> Shall we refund?\n>\n> Support\n')).toEqual({
      visibleText: 'Yes please.',
      quotedText: '> Shall we refund?\n>\n> Support',
    });
  });

  it('keeps answers written between quotes visible', () => {
    const text = '> Which size?\nM\n> Which colour?\nBlue\n';
    expect(splitQuotedText(text).visibleText).toBe('> Which size?\nM\n> Which colour?\nBlue');
  });

  it.each([
    ['German Outlook', 'Danke!\n\nVon: Support <s@shop.example>\nGesendet: Montag, 3. November 2025 09:40\nAn: Jane\nBetreff: Paket\n\nHallo'],
    ['Apple Mail', 'Danke!\n\nOn 3 Nov 2025, at 09:40, Support <s@shop.example> wrote:\n\n> Hallo'],
    ['French Gmail', 'Danke!\n\nLe lun. 3 nov. 2025 à 09:40, Support <s@shop.example> a écrit :\n> Hallo'],
    ['Outlook plain text', 'Danke!\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nHallo'],
  ])('recognises a %s reply header', (_client, text) => {
    const split = splitQuotedText(text);
    expect(split.visibleText).toBe('Danke!');
    expect(split.quotedText).toMatch(/Hallo$/);
  });

  it('moves a mobile signature out of the visible text', () => {
    expect(splitQuotedText('Where is it?\n\nSent from my iPhone')).toEqual({ visibleText: 'Where is it?', quotedText: 'Sent from my iPhone' });
  });

  it('shows a bare forward in full rather than an empty message', () => {
    const text = '-----Original Message-----\nFrom: shop@shop.example\nSent: Monday\n\nYour order shipped.';
    expect(splitQuotedText(text)).toEqual({ visibleText: text, quotedText: '' });
  });
});
