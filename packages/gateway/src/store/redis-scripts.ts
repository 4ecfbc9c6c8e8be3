import { createHash } from "node:crypto";

/** The Lua scripts RedisStore runs: each is atomic on the server, so no other client interleaves. */

export interface LuaScript {
  source: string;
  /** SHA1 of the source, for EVALSHA. */
  sha: string;
}

/** Zero-padded insertion counter in front of each audit member: unique, and orders equal `at`s. */
export const AUDIT_SEQ_WIDTH = 16;

function lua(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/**
 * Writes ARGV[4] (or deletes, when ARGV[3] is "0") only if the key still holds what the caller
 * read: absent when ARGV[1] is "0", else exactly ARGV[2]. Returns 1 when written, 0 on conflict.
 * Without a TTL (ARGV[5] empty) an existing expiry is kept.
 */
export const COMPARE_AND_SET = lua(`
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
elseif ARGV[5] == '' then
  redis.call('SET', KEYS[1], ARGV[4], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
end
return 1
`);

/** INCRBYFLOAT, and the TTL (ARGV[2], may be empty) only when this call created the key. */
export const INCREMENT = lua(`
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if existed == 0 and ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value
`);

/**
 * KEYS: the audit sorted set, its sequence counter. ARGV: at, entry JSON, retention cutoff, max
 * entries. Scores are `at`; members are "<seq>:<json>" so equal `at`s keep insertion order.
 */
export const APPEND_AUDIT = lua(`
local seq = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], ARGV[1], string.format('%0${AUDIT_SEQ_WIDTH}d', seq) .. ':' .. ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
end
return 1
`);
