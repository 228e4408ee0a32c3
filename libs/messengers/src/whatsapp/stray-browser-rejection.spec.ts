import { isStrayBrowserRejection } from './stray-browser-rejection';

describe('isStrayBrowserRejection', () => {
  it('recognises what puppeteer throws for calls that outlive the browser', () => {
    expect(isStrayBrowserRejection(new Error('Protocol error (Runtime.callFunctionOn): Target closed'))).toBe(true);
    expect(isStrayBrowserRejection(new Error('Execution context was destroyed, most likely because of a navigation.'))).toBe(true);
    expect(isStrayBrowserRejection(new Error('Protocol error (Runtime.evaluate): Session closed. Most likely the page has been closed.'))).toBe(true);
  });

  it('leaves every other failure to be reported', () => {
    // 'auth timeout' is a string the library throws when the page never came up: that is news.
    expect(isStrayBrowserRejection('auth timeout')).toBe(false);
    expect(isStrayBrowserRejection(new Error('The fake WhatsApp Web does not implement module WAWebX'))).toBe(false);
    expect(isStrayBrowserRejection(undefined)).toBe(false);
  });
});
