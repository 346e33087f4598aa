import { ThreadMarkers } from './thread-marker';

describe('ThreadMarkers', () => {
  const markers = new ThreadMarkers({ secretKey: 'first-key-0123456789' });

  it('signs the per-ticket reference and the plus address, and reads them back', () => {
    const reference = markers.ticketReference(6209, 'support@shop.example');
    expect(reference).toMatch(/^careloop-ticket\.6209\.[0-9a-f]{16}@shop\.example$/);
    expect(markers.readReference(reference)).toEqual(6209);
    const address = markers.plusAddress('support@shop.example', 6209);
    expect(address).toMatch(/^support\+t6209-[0-9a-f]{16}@shop\.example$/);
    expect(markers.readPlusAddress(address.toUpperCase())).toEqual(6209);
  });

  it('ignores a marker whose signature is forged, or signed with another key, or moved to another number', () => {
    const other = new ThreadMarkers({ secretKey: 'second-key-0123456789' });
    expect(markers.readReference(other.ticketReference(6209, 'support@shop.example'))).toBeNull();
    const signature = /\.([0-9a-f]{16})@/.exec(markers.ticketReference(6209, 'support@shop.example'))?.[1];
    expect(markers.readReference(`careloop-ticket.6210.${signature}@shop.example`)).toBeNull();
    expect(markers.readPlusAddress('support+t6209-0000000000000000@shop.example')).toBeNull();
  });

  it('still reads the older plain markers', () => {
    expect(markers.readReference('careloop-ticket.6209@shop.example')).toEqual(6209);
    expect(markers.readReference(markers.newMessageId(12, 'support@shop.example'))).toEqual(12);
    expect(markers.readPlusAddress('support+t6209@shop.example')).toEqual(6209);
    expect(markers.readReference('someone-else@example.com')).toBeNull();
  });
});
