import { lastEventIdProblem } from './last-event-id';

describe('lastEventIdProblem', () => {
  it('accepts no id and stream ids', () => {
    for (const ok of [undefined, null, '', '1764633600000-0', '0-0']) expect(lastEventIdProblem(ok)).toBeNull();
  });

  it('names what is wrong with garbage, millisecond-only ids and non-strings', () => {
    expect(lastEventIdProblem('garbage')).toMatch(/must be an event id/);
    expect(lastEventIdProblem('1764633600000')).toMatch(/must be an event id/);
    expect(lastEventIdProblem(42)).toMatch(/must be a string/);
  });
});
