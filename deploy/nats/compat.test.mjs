// node --test deploy/nats/compat.test.mjs: the union of permission sets (compat.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { covers, missingGrants, overlaps, unionPermissions } from './compat.mjs';
import { currentJson, expandForCompare } from './permissions.mjs';

/** @typedef {import('./compat.mjs').ChartUser} ChartUser */

/**
 * @param {string} name
 * @param {string[]} publish
 * @param {{ deny?: string[], subscribe?: string[], responder?: boolean }} [options]
 * @returns {ChartUser}
 */
const user = (name, publish, { deny = [], subscribe = ['{INBOX}'], responder = false } = {}) => ({
  name,
  summary: name,
  passwordVariable: `LE_NATS_PASSWORD_${name.toUpperCase()}`,
  allowResponses: responder,
  publish: { allow: publish, deny },
  subscribe: { allow: subscribe, deny: [] },
});
/** @param {ChartUser[]} users */
const set = (...users) => ({ account: 'LOYALTY_EDGE', users });

test('subject patterns: covers and overlaps', () => {
  assert.ok(covers('le.audit.>', 'le.audit.chain.verify'));
  assert.ok(covers('le.audit.*.get', 'le.audit.key-usage.get'));
  assert.ok(covers('le.audit.>', 'le.audit.*.get'));
  assert.ok(!covers('le.audit.*.get', 'le.audit.>'));
  assert.ok(!covers('le.audit.*', 'le.audit'));
  assert.ok(!covers('le.audit.chain.verify', 'le.audit.*.verify'));
  assert.ok(overlaps('le.audit.*.get', 'le.audit.chain.>'));
  assert.ok(!overlaps('le.audit.*.get', 'le.token.>'));
  assert.ok(!overlaps('le.a.b', 'le.a'));
});

test('a rename keeps the old subject for one release; nothing of either is missing', () => {
  const previous = set(user('m', ['le.audit.chain.check'], { responder: true }));
  const current = set(user('m', ['le.audit.chain.verify']), user('new', ['x']));
  const union = unionPermissions(current, previous, expandForCompare);
  assert.deepEqual(union.users[0]?.publish.allow, [
    'le.audit.chain.verify',
    'le.audit.chain.check',
  ]);
  assert.equal(union.users[0]?.allowResponses, true);
  assert.deepEqual(missingGrants(previous, union, expandForCompare), []);
  assert.deepEqual(missingGrants(current, union, expandForCompare), []);
  assert.deepEqual(missingGrants(previous, current, expandForCompare), [
    'm: allow_responses taken away',
    'm: publish le.audit.chain.check not allowed',
  ]);
});

test('a user the current matrix dropped stays until the next snapshot', () => {
  const union = unionPermissions(
    set(user('a', ['x'])),
    set(user('a', ['x']), user('b', ['y'])),
    expandForCompare,
  );
  assert.deepEqual(
    union.users.map((u) => u.name),
    ['a', 'b'],
  );
});

test('a new deny over something the previous release allowed is deferred', () => {
  const previous = set(user('g', ['le.audit.>']));
  const current = set(
    user('g', ['le.audit.>'], { deny: ['le.audit.chain.>', 'le.credentials.>'] }),
  );
  const union = unionPermissions(current, previous, expandForCompare);
  assert.deepEqual(union.users[0]?.publish.deny, ['le.credentials.>']);
  assert.deepEqual(union.deferredDenies, [
    { user: 'g', direction: 'publish', subject: 'le.audit.chain.>' },
  ]);
  assert.deepEqual(missingGrants(previous, union, expandForCompare), []);
});

test('the matrix against itself: nothing missing, every deny kept', () => {
  const union = unionPermissions(currentJson(), currentJson(), expandForCompare);
  assert.deepEqual(union.deferredDenies, []);
  assert.deepEqual(missingGrants(currentJson(), union, expandForCompare, { denies: true }), []);
});
