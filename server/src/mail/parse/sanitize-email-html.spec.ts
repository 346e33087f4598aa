import { REMOTE_IMAGE_ATTRIBUTE, REMOTE_IMAGE_PLACEHOLDER, sanitizeEmailHtml } from './sanitize-email-html';

describe('sanitizeEmailHtml', () => {
  it.each([
    ['a script tag', '<p>hi</p><script>fetch("/api/me")</script>', /<script|fetch/],
    ['an event handler', '<img src="cid:x" onerror="alert(1)"><p onmouseover="alert(2)">hi</p>', /onerror|onmouseover|alert/],
    ['a javascript: link', '<a href="javascript:alert(1)">open</a><a href=" JaVaScRiPt:alert(2)">x</a>', /javascript|alert/i],
    ['an entity-encoded javascript: link', '<a href="&#106;avascript:alert(1)">open</a>', /avascript|alert/],
    ['an svg with onload', '<svg onload="alert(1)"><circle r="4"/></svg><p>ok</p>', /svg|onload|alert/],
    ['a CSS expression', '<div style="width: expression(alert(1)); color: red">x</div>', /expression|alert/],
    ['a CSS url() that loads a tracker', '<td style="background-image:url(https://t.example/p.gif)">x</td>', /url\(|t\.example/],
    ['a style block', '<style>body{background:url(https://t.example/x)}</style><p>x</p>', /<style|t\.example/],
    ['a form', '<form action="https://evil.example"><input name="password"><button>Log in</button></form>', /<form|<input|<button|evil/],
    ['an iframe, object and embed', '<iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="y">', /iframe|object|embed|evil/],
    ['a meta refresh and base', '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">', /meta|base|evil/],
    ['a data: link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', /data:/],
    ['an svg image as data: URL', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">', /svg|data:image\/svg/],
    ['a protocol-relative image', '<img src="//evil.example/x.png">', /evil/],
  ])('removes %s', (_name, html, forbidden) => {
    expect(sanitizeEmailHtml(html)).not.toMatch(forbidden);
  });

  it('keeps the layout of a typical email: tables, safe inline styles, fonts', () => {
    const html =
      '<table width="600" cellpadding="0" style="border-collapse:collapse;background-color:#f4f4f4"><tr>' +
      '<td align="center" style="padding:8px 16px;color:rgb(51, 51, 51);font-family:Arial, sans-serif;position:fixed">' +
      '<font color="#ff0000">Sale</font></td></tr></table>';
    expect(sanitizeEmailHtml(html)).toBe(
      '<table width="600" cellpadding="0" style="border-collapse:collapse;background-color:#f4f4f4"><tr>' +
        '<td align="center" style="padding:8px 16px;color:rgb(51, 51, 51);font-family:Arial, sans-serif">' +
        '<font color="#ff0000">Sale</font></td></tr></table>',
    );
  });

  it('opens links in a new tab without giving the page access to the app', () => {
    expect(sanitizeEmailHtml('<a href="https://shop.example/track?id=1" target="_self" rel="opener">Track</a>')).toBe(
      '<a href="https://shop.example/track?id=1" target="_blank" rel="noopener noreferrer">Track</a>',
    );
  });

  it('keeps mailto: links', () => {
    expect(sanitizeEmailHtml('<a href="mailto:help@shop.example">mail us</a>')).toContain('href="mailto:help@shop.example"');
  });

  it('does not load remote images until allowed: the address moves to data-remote-src', () => {
    expect(sanitizeEmailHtml('<img src="https://cdn.example/logo.png" alt="Logo" width="120">')).toBe(
      `<img alt="Logo" width="120" src="${REMOTE_IMAGE_PLACEHOLDER}" ${REMOTE_IMAGE_ATTRIBUTE}="https://cdn.example/logo.png" />`,
    );
  });

  it('keeps cid: images and raster data: images', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const out = sanitizeEmailHtml(`<img src="cid:logo@shop.example"><img src="${png}">`);
    expect(out).toContain('src="cid:logo@shop.example"');
    expect(out).toContain(`src="${png}"`);
  });

  it('does not trust a data-remote-src written by the sender', () => {
    expect(sanitizeEmailHtml(`<img ${REMOTE_IMAGE_ATTRIBUTE}="javascript:alert(1)">`)).toBe('<img />');
  });

  it('changes nothing when applied to its own output', () => {
    const once = sanitizeEmailHtml('<p style="color:red">Hi <a href="https://x.example">x</a><img src="https://x.example/a.png"></p>');
    expect(sanitizeEmailHtml(once)).toBe(once);
  });
});
