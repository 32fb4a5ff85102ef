import { LuaScript } from './lua-script';

/**
 * Scripts for keys whose value is an owner token (locks, cache fill claims):
 * only the owner may delete or prolong them. The compare and the write run in
 * one script, so an owner whose key expired and was taken by someone else
 * cannot delete or prolong the new owner's key.
 */

/** KEYS[1] owned key; ARGV[1] token. Returns 1 if deleted, 0 if not the owner. */
export const compareAndDelete = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/** KEYS[1] owned key; ARGV[1] token, ARGV[2] new TTL in ms. Returns 1 if prolonged. */
export const compareAndPexpire = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`);
