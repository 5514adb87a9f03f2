// Response summaries: thanks.io error bodies, 200-with-failure, 401/429, rate-limit headers.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadJsonView } from './load.mjs';

let jv;
before(async () => { jv = await loadJsonView(); });

test('422 with field errors lists each message', () => {
  const s = jv.summarise(422, [], { message: 'The given data was invalid.', errors: { message: ['The message field is required.'], 'recipients.0.address': ['The address is required.'] }, failure: true });
  assert.equal(s.kind, 'error');
  assert.match(s.title, /422/);
  assert.deepEqual(s.details, ['The given data was invalid.', 'message: The message field is required.', 'recipients.0.address: The address is required.']);
});

test('402 with a code, 401 with an errors list', () => {
  const s = jv.summarise(402, [], { status: 'failed', message: 'Gift cards need a paid plan.', code: 'giftcards_require_paid_plan', error: 'Upgrade', errors: ['Upgrade'] });
  assert.deepEqual(s.details, ['Gift cards need a paid plan.', 'Upgrade', 'Code: giftcards_require_paid_plan']);
  const u = jv.summarise(401, [], { status: 'failed', errors: ['Unauthorized'] });
  assert.match(u.title, /refused the access token/);
  assert.deepEqual(u.details, ['Unauthorized']);
});

test('429 names the limit from X-RateLimit-Limit, and no number without it', () => {
  const s = jv.summarise(429, [['X-RateLimit-Limit', '30'], ['X-RateLimit-Remaining', '0']], undefined);
  assert.match(s.title, /allows 30 calls a minute/);
  assert.doesNotMatch(s.title, /60/);
  const bare = jv.summarise(429, [], undefined);
  assert.doesNotMatch(bare.title, /\d/, bare.title);
});

test('429 explains the wait from Retry-After', () => {
  const s = jv.summarise(429, [['Retry-After', '30']], { message: 'Too Many Attempts.' });
  assert.match(s.title, /Too many requests/);
  assert.match(s.title, /Wait 30 seconds/);
  assert.equal(jv.summarise(429, [], undefined).title.includes('about a minute'), true);
  assert.equal(jv.rateLimitText([['X-RateLimit-Limit', '60'], ['x-ratelimit-remaining', '0'], ['retry-after', '1']]), 'Rate limit: 0 of 60 requests left this minute · retry after 1 second');
  assert.equal(jv.rateLimitText([['content-type', 'application/json']]), null);
});

test('a 200 with failure or error is flagged; a plain 200 is not', () => {
  const s = jv.summarise(200, [], { message: 'No neighbors could be found with search parameters.', failure: true });
  assert.equal(s.kind, 'warn');
  assert.deepEqual(s.details, ['No neighbors could be found with search parameters.']);
  const items = jv.summarise(200, [], [{ id: 1 }, { error: 'This address is already on this mailing list.' }]);
  assert.match(items.title, /1 item of 2/);
  assert.deepEqual(items.details, ['Item 2: This address is already on this mailing list.']);
  assert.equal(jv.summarise(200, [], { data: [] }), null);
  assert.equal(jv.summarise(200, [], { failure: false, message: 'success' }), null);
});

test('parseSmall only parses JSON-looking bodies under the limit', () => {
  assert.deepEqual(jv.parseSmall('{"a":1}'), { a: 1 });
  assert.equal(jv.parseSmall('not json'), undefined);
  assert.equal(jv.parseSmall('{"a":'), undefined);
  assert.equal(jv.parseSmall('{"a":1}', 3), undefined);
});
