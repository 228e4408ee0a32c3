import { contentDisposition } from './media.routes';

describe('contentDisposition', () => {
  it('shows images, audio and video inline and downloads the rest', () => {
    expect(contentDisposition('image/png', null)).toBe('inline');
    expect(contentDisposition('text/html', null)).toBe('attachment');
  });

  it('encodes any file name safely (RFC 5987)', () => {
    expect(contentDisposition('application/pdf', "a b'(1).pdf")).toBe("attachment; filename*=UTF-8''a%20b%27%281%29.pdf");
    expect(contentDisposition('image/jpeg', 'фото.jpg')).toBe("inline; filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE.jpg");
  });
});
